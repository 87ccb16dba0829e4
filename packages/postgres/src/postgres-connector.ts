import type { AnyToolDefinition, BucketSpecs, ConnectorInstance } from "@switchyard/core";
import { createConnector } from "@switchyard/core";
import {
  ALL_LAYERS,
  PostgresClient,
  type ReadOnlyLayers,
  type ResolvedPostgresSettings,
} from "./postgres-client.js";
import { postgresErrorMapper } from "./postgres-error.js";
import type { PoolStats } from "./postgres-pool.js";
import { inspectPostgres, type PostgresInspection, postgresProbe } from "./postgres-probe.js";
import {
  DEFAULT_APPLICATION_NAME,
  MAX_ROWS_CEILING,
  type PostgresSettings,
  resolveConnectionTarget,
} from "./postgres-settings.js";
import { type PostgresRowStream, type StreamQueryOptions, streamQuery } from "./postgres-stream.js";
import { ensureParser } from "./read-only/sql-guard.js";
import { postgresTools } from "./tools/index.js";
import { createPostgresExecuteTool } from "./tools/postgres-execute.js";

/**
 * No rate-limit buckets: the pool (`max`) and core's bulkhead bound concurrency, and PostgreSQL has no
 * request budget to pace against.
 */
export const POSTGRES_BUCKETS: BucketSpecs = {};

/** The connector instance plus the native API that is not a tool. */
export interface PostgresConnector extends ConnectorInstance {
  /**
   * Streams the rows of one read (same read-only layers as postgres_query) through a server-side cursor, in
   * constant memory; for exports of any size. Not a tool: results go to code, not to a model.
   */
  streamQuery(sql: string, params?: readonly unknown[], options?: StreamQueryOptions): PostgresRowStream;
  /** Identity, server version, read-only status and pool load (doctor's details). */
  inspect(options?: { signal?: AbortSignal }): Promise<PostgresInspection>;
  poolStats(): PoolStats;
}

/**
 * For tests only: switch read-only layers off one by one to show that each one holds on its own. Never
 * set in production; nothing reads it from settings or the environment.
 */
export interface PostgresTestingOptions {
  readonly layers?: Partial<ReadOnlyLayers>;
}

const positive = (value: number | undefined, fallback: number) =>
  value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;

/** Every setting with its default. */
export function resolvePostgresSettings(settings: PostgresSettings): ResolvedPostgresSettings {
  return {
    target: resolveConnectionTarget(settings),
    max: Math.max(1, positive(settings.max, 5)),
    connectionTimeoutMs: Math.max(1, positive(settings.connectionTimeoutMs, 5000)),
    idleTimeoutMs: positive(settings.idleTimeoutMs, 10_000),
    maxLifetimeSeconds: positive(settings.maxLifetimeSeconds, 1800),
    maxUses: settings.maxUses,
    statementTimeoutMs: Math.max(1, positive(settings.statementTimeoutMs, 15_000)),
    lockTimeoutMs: Math.max(1, positive(settings.lockTimeoutMs, 2000)),
    idleInTransactionTimeoutMs: Math.max(1, positive(settings.idleInTransactionTimeoutMs, 30_000)),
    applicationName: settings.applicationName ?? DEFAULT_APPLICATION_NAME,
    writeSchemas: (settings.schemas ?? [])
      .map((schema) => schema.trim())
      .filter((schema) => schema.length > 0),
    defaultSchema: settings.defaultSchema ?? "public",
    maxRows: Math.max(1, Math.min(MAX_ROWS_CEILING, positive(settings.maxRows, MAX_ROWS_CEILING))),
    maxByteaBytes: positive(settings.maxByteaBytes, 4096),
    maxSleepSeconds: positive(settings.maxSleepSeconds, 5),
    stream: {
      statementTimeoutMs: positive(settings.stream?.statementTimeoutMs, 15 * 60_000),
      idleInTransactionTimeoutMs: Math.max(
        1,
        positive(settings.stream?.idleInTransactionTimeoutMs, 5 * 60_000),
      ),
      batchSize: Math.max(1, positive(settings.stream?.batchSize, 1000)),
    },
  };
}

/**
 * Builds the PostgreSQL connector. Construction opens no connection (the pool connects on first use), loads
 * no driver and needs no password; a malformed DATABASE_URL throws here, at startup. Writes (`postgres_execute`) are off
 * unless `allowWrites`, and reach only the `schemas` allowlist unless a call is approved.
 */
export function createPostgresConnector(
  settings: PostgresSettings = {},
  testing: PostgresTestingOptions = {},
): PostgresConnector {
  const {
    connectionString: _connectionString,
    host: _host,
    port: _port,
    database: _database,
    user: _user,
    password: _password,
    credentials: _credentials,
    ssl: _ssl,
    max: _max,
    connectionTimeoutMs: _connectionTimeoutMs,
    idleTimeoutMs: _idleTimeoutMs,
    maxLifetimeSeconds: _maxLifetimeSeconds,
    maxUses: _maxUses,
    statementTimeoutMs: _statementTimeoutMs,
    lockTimeoutMs: _lockTimeoutMs,
    idleInTransactionTimeoutMs: _idleInTransactionTimeoutMs,
    applicationName: _applicationName,
    schemas: _schemas,
    defaultSchema: _defaultSchema,
    maxRows: _maxRows,
    maxByteaBytes: _maxByteaBytes,
    maxSleepSeconds: _maxSleepSeconds,
    stream: _stream,
    ...runtime
  } = settings;
  const resolved = resolvePostgresSettings(settings);
  const client = new PostgresClient(resolved, { ...ALL_LAYERS, ...testing.layers });
  // pg, pg-cursor and the parser (libpg-query) are imported on first use, not here: building the connector and
  // listing its tools need none of them. With writes allowed, the parser starts loading now all the same:
  // approval summaries of postgres_execute (describeCall) are synchronous and need it from the first call.
  if (runtime.allowWrites === true) void ensureParser().catch(() => {});
  const tools: AnyToolDefinition[] = postgresTools.map((tool) =>
    tool.name === "postgres_execute" ? createPostgresExecuteTool(resolved.defaultSchema) : tool,
  );
  const instance = createConnector<PostgresClient>({
    id: "postgres",
    title: "PostgreSQL",
    tools,
    buckets: POSTGRES_BUCKETS,
    credentials: resolved.target.credentials,
    // One pool for every credential value: pg asks the provider for the password of each new connection.
    client: () => client,
    mapError: postgresErrorMapper,
    // Targets of postgres_execute are schema names; approval policy `when-unlisted` asks for the others.
    isListed: (schema) => client.isWriteSchemaListed(schema),
    probe: postgresProbe,
    close: () => client.close(),
    options: runtime,
  });
  return {
    ...instance,
    streamQuery: (sql, params = [], options = {}) => streamQuery(client, sql, params, options),
    inspect: (options = {}) => inspectPostgres(client, options.signal ? { signal: options.signal } : {}),
    poolStats: () => client.stats(),
  };
}
