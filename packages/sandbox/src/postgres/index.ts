// Embedded PostgreSQL (PGlite over the wire protocol), loaded only when started

export { DEMO_CUSTOMER_COUNT, DEMO_ORDER_COUNT, DEMO_SCHEMA, DEMO_SEED_SQL } from "./demo-schema.js";
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from "./embedded-postgres.js";
export { startEmbeddedPostgres } from "./embedded-postgres.js";
export type { SandboxPostgres, SandboxPostgresOption } from "./sandbox-postgres.js";
export { startSandboxPostgres } from "./sandbox-postgres.js";
