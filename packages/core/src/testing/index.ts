// Test helpers for connector packages: `@switchyard/core/testing`. Not part of the runtime API.

export type { NetworkAttempt } from "./network-guard.js";
export {
  installNetworkGuard,
  isLoopbackHost,
  removeNetworkGuard,
  takeNetworkAttempts,
} from "./network-guard.js";
