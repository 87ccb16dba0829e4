import type { AuditFilter, AuditRecord } from "@switchyard/core";
import type { Pool } from "pg";
import { filterConditions } from "./audit-filter-sql.js";
import { auditError } from "./errors.js";
import { type AuditRow, rowToRecord, SELECT_COLUMNS } from "./record-row.js";
import { type PostgresAuditTableOptions, resolveTable } from "./table-options.js";

export interface TailPostgresAuditOptions extends PostgresAuditTableOptions {
  /** Ends the iteration (it returns; it does not throw). */
  readonly signal: AbortSignal;
  /** Start with records inserted at or after this time. Default: records inserted from now on (database clock). */
  readonly since?: Date | undefined;
  /** Wait between polls when there is nothing new. Default 1000 ms. */
  readonly pollMs?: number | undefined;
  /** Rows per query. Default 500. */
  readonly batchSize?: number | undefined;
  /**
   * How long after its insert a row is re-checked for. `inserted_at` is the inserting transaction's start, so a
   * transaction that commits late makes rows appear behind ones already read; the tail keeps looking back this
   * far (reading ids only, yielding each record once). Default 5000 ms; rows whose transaction took longer to
   * commit than this can be missed.
   */
  readonly settleMs?: number | undefined;
  /** Only records matching these (same meaning as in queryPostgresAudit). */
  readonly filter?: Pick<AuditFilter, "tool" | "tenant" | "outcome"> | undefined;
}

const NIL_UUID = "00000000-0000-0000-0000-000000000000";
/** Full microsecond precision, so the keyset never skips or repeats rows within one millisecond. */
const INSERTED_AT = `to_char(inserted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface Position {
  readonly ts: string;
  readonly id: string;
}

interface KeyRow {
  readonly id: string;
  readonly ts: string;
  readonly settled: boolean;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer.`);
  return value;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Yields audit records as they are inserted, each once, by polling on `(inserted_at, id)` with bounded
 * queries (ids first, then the rows not yielded yet). Runs until `signal` aborts; a database error is thrown
 * (redacted) and ends the iteration.
 */
export async function* tailPostgresAudit(
  pool: Pool,
  options: TailPostgresAuditOptions,
): AsyncGenerator<AuditRecord, void, undefined> {
  const { schema, table, qualified } = resolveTable(options);
  const { signal } = options;
  const pollMs = positiveInteger("pollMs", options.pollMs ?? 1000);
  const batchSize = positiveInteger("batchSize", options.batchSize ?? 500);
  const settleMs = options.settleMs ?? 5000;
  if (!Number.isInteger(settleMs) || settleMs < 0)
    throw new RangeError("settleMs must be a non-negative integer.");
  if (options.since && Number.isNaN(options.since.getTime()))
    throw new TypeError("since must be a valid Date.");

  const run = async <Row extends object>(sql: string, params: unknown[]): Promise<Row[]> => {
    try {
      return (await pool.query<Row>(sql, params)).rows;
    } catch (error) {
      throw auditError(`audit tail on ${schema}.${table} failed`, error);
    }
  };

  const filterParams: unknown[] = [];
  const conditions = filterConditions(options.filter ?? {}, filterParams);
  const offset = filterParams.length;
  // Filter parameters come first ($1..$offset); the keyset ones follow.
  const keysSql = `SELECT id::text AS id, ${INSERTED_AT} AS ts,
      inserted_at < now() - $${offset + 3}::integer * interval '1 millisecond' AS settled
    FROM ${qualified}
    WHERE (inserted_at, id) > ($${offset + 1}::timestamptz, $${offset + 2}::uuid)
      ${conditions.map((condition) => `AND ${condition}`).join(" ")}
    ORDER BY inserted_at, id LIMIT $${offset + 4}`;
  const rowsSql = `SELECT ${SELECT_COLUMNS} FROM ${qualified} WHERE id = ANY($1::uuid[]) ORDER BY inserted_at, id`;

  if (signal.aborted) return;
  // Everything at or before `settled` has been read for good; `seen` holds the ids yielded after it.
  let settled: Position;
  if (options.since) {
    settled = { ts: options.since.toISOString(), id: NIL_UUID };
  } else {
    const [now] = await run<{ ts: string }>(
      `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts`,
      [],
    );
    settled = { ts: now?.ts ?? new Date().toISOString(), id: NIL_UUID };
  }
  const seen = new Set<string>();

  while (!signal.aborted) {
    let cursor = settled;
    let advancing = true;
    let full: boolean;
    do {
      const keys = await run<KeyRow>(keysSql, [...filterParams, cursor.ts, cursor.id, settleMs, batchSize]);
      full = keys.length === batchSize;
      const fresh = keys.filter((key) => !seen.has(key.id)).map((key) => key.id);
      if (fresh.length > 0) {
        for (const row of await run<AuditRow>(rowsSql, [fresh])) {
          seen.add(row.id);
          yield rowToRecord(row);
          if (signal.aborted) return;
        }
      }
      for (const key of keys) {
        // Settled rows form a prefix (they are ordered by inserted_at): move past them and forget their ids.
        if (advancing && key.settled) {
          settled = { ts: key.ts, id: key.id };
          seen.delete(key.id);
        } else {
          advancing = false;
        }
      }
      const last = keys.at(-1);
      if (last) cursor = { ts: last.ts, id: last.id };
    } while (full && !signal.aborted);
    await sleep(pollMs, signal);
  }
}
