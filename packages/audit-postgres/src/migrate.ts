import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type { Pool, PoolClient } from "pg";
import { auditError } from "./errors.js";
import { MIGRATIONS_TABLE, type PostgresAuditTableOptions, resolveTable } from "./table-options.js";

/** The migrations shipped in the package's `migrations/` folder (next to `dist/` and `src/`). */
const MIGRATIONS_DIR = new URL("../migrations/", import.meta.url);
const MIGRATION_FILE = /^(\d+)_([a-z0-9_]+)\.sql$/;

export interface AuditMigration {
  /** `1` for `001_audit_log.sql`. */
  readonly version: number;
  /** The file name without `.sql`: `001_audit_log`. */
  readonly name: string;
  /** The SQL with the schema and table filled in. */
  readonly sql: string;
  /** sha256 of the template, recorded when applied; a changed file is refused. */
  readonly checksum: string;
}

export interface MigrateAuditLogOptions extends PostgresAuditTableOptions {
  /** How long to wait for another process's migration (the advisory lock). Default 60 s. */
  readonly lockTimeoutMs?: number;
}

export interface MigrateAuditLogResult {
  /** Migrations applied by this call, in order (empty when the table was up to date). */
  readonly applied: readonly string[];
  /** Every migration now recorded for this table. */
  readonly current: readonly string[];
}

/** The shipped migrations, rendered for a schema and table: for applying with your own migration tool. */
export async function renderAuditMigrations(
  options: PostgresAuditTableOptions = {},
): Promise<AuditMigration[]> {
  const { schema, table } = resolveTable(options);
  const files = (await readdir(MIGRATIONS_DIR)).filter((file) => MIGRATION_FILE.test(file)).sort();
  const migrations: AuditMigration[] = [];
  for (const file of files) {
    const template = await readFile(new URL(file, MIGRATIONS_DIR), "utf8");
    const version = Number(MIGRATION_FILE.exec(file)?.[1]);
    migrations.push({
      version,
      name: file.slice(0, -".sql".length),
      sql: template.replaceAll("{{schema}}", schema).replaceAll("{{table}}", table),
      checksum: createHash("sha256").update(template).digest("hex"),
    });
  }
  return migrations;
}

async function rollback(client: PoolClient): Promise<void> {
  try {
    await client.query("ROLLBACK");
  } catch {
    // The connection is gone; it is discarded on release.
  }
}

/**
 * Applies the pending migrations for one audit table in a single transaction. An advisory lock (per schema)
 * makes concurrent starts safe: the second process waits, then finds nothing left to do. Idempotent; records
 * what it applied in `<schema>.switchyard_audit_migrations`. Needs a role that may create the schema (when
 * missing), tables, functions and triggers: run it as the owner, not as the least-privilege writer.
 */
export async function migrateAuditLog(
  pool: Pool,
  options: MigrateAuditLogOptions = {},
): Promise<MigrateAuditLogResult> {
  const { schema, table } = resolveTable(options);
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  if (!Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 0) {
    throw new RangeError("lockTimeoutMs must be a non-negative integer.");
  }
  const migrations = await renderAuditMigrations({ schema, table });
  const bookkeeping = `"${schema}"."${MIGRATIONS_TABLE}"`;

  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw auditError("audit migration could not connect", error);
  }
  let failure: unknown;
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
    // Serialises every migration of this schema (the schema, the bookkeeping table and the audit tables).
    await client.query(
      "SELECT pg_advisory_xact_lock(hashtext('switchyard_audit_migrations'), hashtext($1))",
      [schema],
    );
    // CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database, so only try when it is missing.
    const exists = await client.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${bookkeeping} (
         table_name text        NOT NULL,
         version    integer     NOT NULL,
         name       text        NOT NULL,
         checksum   text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (table_name, version)
       )`,
    );
    const done = await client.query<{ version: number; name: string; checksum: string }>(
      `SELECT version, name, checksum FROM ${bookkeeping} WHERE table_name = $1 ORDER BY version`,
      [table],
    );
    const recorded = new Map(done.rows.map((row) => [row.version, row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = recorded.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} changed after it was applied to ${schema}.${table} ` +
              `(recorded checksum ${previous.checksum.slice(0, 12)}, file ${migration.checksum.slice(0, 12)})`,
          );
        }
        continue;
      }
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO ${bookkeeping} (table_name, version, name, checksum) VALUES ($1, $2, $3, $4)`,
        [table, migration.version, migration.name, migration.checksum],
      );
      applied.push(migration.name);
    }
    await client.query("COMMIT");
    const current = [...done.rows.map((row) => row.name), ...applied];
    return { applied, current };
  } catch (error) {
    failure = error;
    await rollback(client);
    throw auditError(`audit migration of ${schema}.${table} failed`, error);
  } finally {
    client.release(failure instanceof Error ? failure : undefined);
  }
}
