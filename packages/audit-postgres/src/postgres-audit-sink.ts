import type { AuditRecord, AuditSink } from "@switchyard/core";
import { registerSecret } from "@switchyard/core";
import pg, { type Pool, type PoolConfig } from "pg";
import { auditError, PostgresAuditError } from "./errors.js";
import { INSERT_CASTS, INSERT_COLUMNS, recordParams } from "./record-row.js";
import { type PostgresAuditTableOptions, resolveTable } from "./table-options.js";

/** A pool you own (never ended by the sink), or a connection string the sink opens its own bounded pool for. */
export type PostgresAuditConnection =
  | { readonly pool: Pool }
  | {
      readonly connectionString: string;
      /**
       * Overrides for the sink's own pool. Defaults: `max` 2, `connectionTimeoutMillis` 5000,
       * `statement_timeout` 10000, `idleTimeoutMillis` 10000, `keepAlive`, `allowExitOnIdle`.
       */
      readonly poolConfig?: Omit<PoolConfig, "connectionString">;
    };

export interface PostgresAuditSinkOptions extends PostgresAuditTableOptions {
  /**
   * Upper bound on one `write`, whatever the pool does (a pool with no `connectionTimeoutMillis` waits forever
   * for a connection). The trail retries a timed-out batch; `ON CONFLICT (id) DO NOTHING` makes that safe even
   * if the first attempt did commit. Default 15 s.
   */
  readonly writeTimeoutMs?: number;
}

export interface PostgresAuditSink extends AuditSink {
  /** The pool the sink writes through (yours, or the one it opened): use it for queries, tail and retention. */
  readonly pool: Pool;
  /** Ends the pool the sink opened; a pool you passed in is left open. */
  close(): Promise<void>;
}

/** Records per INSERT statement: 12 parameters each, far below PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 1000;

function insertStatement(qualified: string, rows: number): string {
  const width = INSERT_COLUMNS.length;
  const tuples: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    const cells = INSERT_COLUMNS.map(
      (column, index) => `$${row * width + index + 1}::${INSERT_CASTS[column]}`,
    );
    tuples.push(`(${cells.join(", ")})`);
  }
  return `INSERT INTO ${qualified} (${INSERT_COLUMNS.join(", ")}) VALUES ${tuples.join(", ")} ON CONFLICT (id) DO NOTHING`;
}

/** Registers the password of a connection string, so that no error or log can carry it. */
function registerPassword(connectionString: string, config: PoolConfig | undefined): void {
  try {
    const url = new URL(connectionString);
    if (url.password) registerSecret(decodeURIComponent(url.password));
    const param = url.searchParams.get("password");
    if (param) registerSecret(param);
  } catch {
    // Not a URL (a keyword/value string): the token patterns still redact password=... fragments.
  }
  if (typeof config?.password === "string") registerSecret(config.password);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PostgresAuditError(message, "ETIMEDOUT")), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * An audit sink writing to PostgreSQL (run `migrateAuditLog` first). Each `write` is one multi-row INSERT
 * (up to 1,000 records per statement) with `ON CONFLICT (id) DO NOTHING`, so a batch the trail retries after an
 * ambiguous failure is never stored twice. Errors are redacted: no connection string or password in them.
 */
export function postgresAuditSink(
  connection: PostgresAuditConnection,
  options: PostgresAuditSinkOptions = {},
): PostgresAuditSink {
  const { schema, table, qualified } = resolveTable(options);
  const writeTimeoutMs = options.writeTimeoutMs ?? 15_000;
  if (!Number.isFinite(writeTimeoutMs) || writeTimeoutMs <= 0) {
    throw new RangeError("writeTimeoutMs must be a positive number.");
  }

  let pool: Pool;
  let ownsPool: boolean;
  if ("pool" in connection) {
    pool = connection.pool;
    ownsPool = false;
  } else {
    if (typeof connection.connectionString !== "string" || connection.connectionString === "") {
      throw new TypeError("postgresAuditSink needs a pool or a non-empty connectionString.");
    }
    registerPassword(connection.connectionString, connection.poolConfig);
    pool = new pg.Pool({
      max: 2,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 10_000,
      idleTimeoutMillis: 10_000,
      keepAlive: true,
      allowExitOnIdle: true,
      application_name: "switchyard-audit",
      ...connection.poolConfig,
      connectionString: connection.connectionString,
    });
    ownsPool = true;
  }

  // An idle client that loses its connection makes the pool emit 'error'; unheard, it would crash the process.
  // The broken client is dropped by the pool; the next write reconnects (or fails and is retried by the trail).
  const onPoolError = (): void => {};
  pool.on("error", onPoolError);

  const name = `postgres:${schema}.${table}`;
  let closed = false;

  async function insert(records: readonly AuditRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += ROWS_PER_STATEMENT) {
      const chunk = records.slice(start, start + ROWS_PER_STATEMENT);
      await pool.query(insertStatement(qualified, chunk.length), chunk.flatMap(recordParams));
    }
  }

  return {
    name,
    pool,
    async write(records) {
      if (records.length === 0) return;
      if (closed) throw new PostgresAuditError(`audit sink ${name} is closed`);
      try {
        await withTimeout(
          insert(records),
          writeTimeoutMs,
          `audit write to ${schema}.${table} took longer than ${writeTimeoutMs} ms`,
        );
      } catch (error) {
        throw auditError(`audit write to ${schema}.${table} failed`, error);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!ownsPool) {
        pool.off("error", onPoolError);
        return;
      }
      // The listener stays on the pool it ended: a client closing late must not crash the process either.
      try {
        await pool.end();
      } catch (error) {
        throw auditError("closing the audit pool failed", error);
      }
    },
  };
}
