// Test helpers: `@switchyard/postgres/testing`. Not part of the runtime API.
export type { PrivateCluster } from "./private-cluster.js";
export { privateClusterUnavailable, startPrivateCluster } from "./private-cluster.js";
