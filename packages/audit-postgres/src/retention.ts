import type { Pool, PoolClient } from "pg";
import { auditError } from "./errors.js";
import { type PostgresAuditTableOptions, resolveTable } from "./table-options.js";

export interface AuditRetentionOptions extends PostgresAuditTableOptions {
  /** Records whose call started (`at`) more than this many days ago are deleted. May be fractional; > 0. */
  readonly olderThanDays: number;
  /** Rows deleted per transaction. Default 1000. */
  readonly batchSize?: number | undefined;
}

async function rollback(client: PoolClient): Promise<void> {
  try {
    await client.query("ROLLBACK");
  } catch {
    // The connection is gone; it is discarded on release.
  }
}

/**
 * Deletes old audit records through the one path the append-only trigger allows: each batch is its own
 * transaction that sets `switchyard.audit_retention = 'on'` (transaction-local) before deleting. Batches are
 * bounded, so locks and WAL stay small; the cutoff is fixed when the call starts. Returns how many records were
 * deleted. Run it as a role with DELETE on the table (the owner), not as the least-privilege writer.
 */
export async function applyAuditRetention(pool: Pool, options: AuditRetentionOptions): Promise<number> {
  const { schema, table, qualified } = resolveTable(options);
  const { olderThanDays } = options;
  const batchSize = options.batchSize ?? 1000;
  if (typeof olderThanDays !== "number" || !Number.isFinite(olderThanDays) || olderThanDays <= 0) {
    throw new RangeError("olderThanDays must be a positive number of days.");
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new RangeError("batchSize must be an integer from 1 to 100000.");
  }
  const action = `audit retention on ${schema}.${table} failed`;

  let cutoff: string;
  try {
    const result = await pool.query<{ cutoff: string }>(
      `SELECT to_char((now() - $1::float8 * interval '1 day') AT TIME ZONE 'UTC',
                      'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cutoff`,
      [olderThanDays],
    );
    cutoff = result.rows[0]?.cutoff ?? "";
  } catch (error) {
    throw auditError(action, error);
  }

  let deleted = 0;
  for (;;) {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw auditError(action, error);
    }
    let count: number;
    let failure: Error | undefined;
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('switchyard.audit_retention', 'on', true)");
      const result = await client.query(
        `DELETE FROM ${qualified} WHERE id IN (
           SELECT id FROM ${qualified} WHERE at < $1::timestamptz ORDER BY at LIMIT $2)`,
        [cutoff, batchSize],
      );
      await client.query("COMMIT");
      count = result.rowCount ?? 0;
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      await rollback(client);
      throw auditError(action, error);
    } finally {
      client.release(failure);
    }
    deleted += count;
    if (count < batchSize) return deleted;
  }
}
