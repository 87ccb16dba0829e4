export { PostgresAuditError } from "./errors.js";
export type { AuditMigration, MigrateAuditLogOptions, MigrateAuditLogResult } from "./migrate.js";
export { migrateAuditLog, renderAuditMigrations } from "./migrate.js";
export type {
  PostgresAuditConnection,
  PostgresAuditSink,
  PostgresAuditSinkOptions,
} from "./postgres-audit-sink.js";
export { postgresAuditSink } from "./postgres-audit-sink.js";
export { queryPostgresAudit } from "./query.js";
export type { AuditRetentionOptions } from "./retention.js";
export { applyAuditRetention } from "./retention.js";
export type { PostgresAuditTableOptions } from "./table-options.js";
export { DEFAULT_SCHEMA, DEFAULT_TABLE } from "./table-options.js";
export type { TailPostgresAuditOptions } from "./tail.js";
export { tailPostgresAudit } from "./tail.js";
