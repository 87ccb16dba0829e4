import type { AuditFilter, AuditRecord } from "@switchyard/core";
import type { Pool } from "pg";
import { filterConditions } from "./audit-filter-sql.js";
import { auditError } from "./errors.js";
import { type AuditRow, rowToRecord, SELECT_COLUMNS } from "./record-row.js";
import { type PostgresAuditTableOptions, resolveTable } from "./table-options.js";

/**
 * The newest `limit` (default 100) records matching the filter, returned oldest first, like
 * `queryJsonLinesAudit`. Records are ordered by call time (`at`); `tool` takes `*` globs; `since` is inclusive.
 */
export async function queryPostgresAudit(
  pool: Pool,
  filter: AuditFilter = {},
  options: PostgresAuditTableOptions = {},
): Promise<AuditRecord[]> {
  const { schema, table, qualified } = resolveTable(options);
  const limit = filter.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("filter.limit must be a positive integer.");
  const params: unknown[] = [];
  const conditions = filterConditions(filter, params);
  params.push(limit);
  const sql = `SELECT ${SELECT_COLUMNS} FROM ${qualified}
    ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
    ORDER BY at DESC, inserted_at DESC, id DESC LIMIT $${params.length}`;
  try {
    const result = await pool.query<AuditRow>(sql, params);
    return result.rows.map(rowToRecord).reverse();
  } catch (error) {
    throw auditError(`audit query on ${schema}.${table} failed`, error);
  }
}
