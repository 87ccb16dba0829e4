export type {
  CallScope,
  CatalogQuery,
  ReadOnlyLayers,
  ReadPage,
  ReadRequest,
  ResolvedPostgresSettings,
  WriteOutcome,
  WriteRequest,
} from "./postgres-client.js";
export { ALL_LAYERS, PostgresClient } from "./postgres-client.js";
export type { PostgresConnector, PostgresTestingOptions } from "./postgres-connector.js";
export { createPostgresConnector, POSTGRES_BUCKETS, resolvePostgresSettings } from "./postgres-connector.js";
export type { PostgresErrorContext, PostgresErrorLike } from "./postgres-error.js";
export {
  isPostgresError,
  mapPostgresError,
  PoolTimeoutError,
  postgresError,
  postgresErrorMapper,
} from "./postgres-error.js";
export type { Lease, PoolOptions, PoolStats } from "./postgres-pool.js";
export { PostgresPool } from "./postgres-pool.js";
export type { PostgresInspection } from "./postgres-probe.js";
export { inspectPostgres, postgresProbe } from "./postgres-probe.js";
export type { ConnectionTarget, PostgresSettings, PostgresStreamSettings } from "./postgres-settings.js";
export {
  DEFAULT_APPLICATION_NAME,
  MAX_ROWS_CEILING,
  POSTGRES_ENV,
  parseDatabaseUrl,
  postgresSettingsFromEnv,
  resolveConnectionTarget,
} from "./postgres-settings.js";
export type { PostgresRow, PostgresRowStream, StreamQueryOptions, StreamStats } from "./postgres-stream.js";
export { streamQuery } from "./postgres-stream.js";
export { POSTGRES_READ_ANNOTATIONS, POSTGRES_WRITE_ANNOTATIONS } from "./postgres-tool.js";
export type { ByteaValue, ColumnInfo, ValueOptions } from "./postgres-values.js";
export { convertValue, parseArrayLiteral } from "./postgres-values.js";
export type { DeniedCall } from "./read-only/function-deny-list.js";
export {
  deniedFunctionNames,
  deniedFunctionPrefixes,
  deniedFunctionReason,
  findDeniedCalls,
} from "./read-only/function-deny-list.js";
export type { OrderFacts, ParsedStatement, ReadPlan, WritePlan } from "./read-only/sql-guard.js";
export {
  describeWriteSync,
  ensureParser,
  guardExplain,
  guardRead,
  guardWrite,
  parseStatements,
} from "./read-only/sql-guard.js";
export {
  createPostgresExecuteTool,
  postgresDescribeTable,
  postgresExecute,
  postgresExplain,
  postgresListSchemas,
  postgresListTables,
  postgresQuery,
  postgresTools,
} from "./tools/index.js";
