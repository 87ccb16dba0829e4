import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import {
  createPostgresConnector,
  type PostgresConnector,
  type PostgresSettings,
  type PostgresTestingOptions,
} from "../../src/index.js";

export const databaseUrl = (): string => inject("databaseUrl");

/** A unique lower-case identifier: schemas and roles never collide between parallel files and runs. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

/** An owner (superuser) pool on the run's database, for setting up and checking data. */
export function adminPool(config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl(),
    max: 3,
    connectionTimeoutMillis: 5000,
    ...config,
  });
  pool.on("error", () => {});
  return pool;
}

export interface TestSchema {
  readonly name: string;
  readonly admin: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh schema created by the admin pool; `drop` removes it and ends the pool. */
export async function createTestSchema(prefix: string, setupSql = ""): Promise<TestSchema> {
  const admin = adminPool();
  const name = uniqueName(prefix);
  await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(name)}`);
  if (setupSql) await admin.query(setupSql.replaceAll("$schema", pg.escapeIdentifier(name)));
  return {
    name,
    admin,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(name)} CASCADE`);
      await admin.end();
    },
  };
}

/** A connector on the run's database; every connector made here is closed by `closeConnectors`. */
const open: PostgresConnector[] = [];
export function connector(
  settings: PostgresSettings = {},
  testing: PostgresTestingOptions = {},
): PostgresConnector {
  const instance = createPostgresConnector(
    { connectionString: databaseUrl(), retry: { maxRetries: 0 }, ...settings },
    testing,
  );
  open.push(instance);
  return instance;
}

export async function closeConnectors(): Promise<void> {
  await Promise.all(open.splice(0).map((instance) => instance.close()));
}

/** Every layer off but the named ones. */
export function onlyLayers(...names: (keyof NonNullable<PostgresTestingOptions["layers"]>)[]) {
  return {
    layers: {
      singleStatement: names.includes("singleStatement"),
      readOnlyTransaction: names.includes("readOnlyTransaction"),
      sqlGuard: names.includes("sqlGuard"),
      functionDenyList: names.includes("functionDenyList"),
      sessionReset: names.includes("sessionReset"),
    },
  } satisfies PostgresTestingOptions;
}

/**
 * A fingerprint of everything a bypass could change: the rows of every table in the schema, the schema's
 * objects, its sequences, the connecting role and its settings, advisory locks and prepared transactions of
 * this database, large objects, collations, and anything named evil* that an attempt would have created.
 */
export async function fingerprint(admin: pg.Pool, schema: string): Promise<string> {
  const tables = await admin.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1`,
    [schema],
  );
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await admin.query<{ digest: string | null; count: string }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*) AS count
       FROM ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)} t`,
    );
    parts.push(`${name}:${rows.rows[0]?.count}:${rows.rows[0]?.digest}`);
  }
  const state = await admin.query<{ digest: string }>(
    `SELECT md5(concat_ws('#',
       (SELECT string_agg(c.relname || ':' || c.relkind::text, ',' ORDER BY c.relname) FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1),
       (SELECT string_agg(p.proname, ',' ORDER BY p.proname) FROM pg_proc p
          JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1),
       (SELECT string_agg(r.rolname || ':' || r.rolsuper::text || ':' || coalesce(array_to_string(r.rolconfig, ';'), ''), ',')
          FROM pg_roles r WHERE r.rolname = current_user OR r.rolname LIKE 'evil%'),
       (SELECT string_agg(coalesce(array_to_string(s.setconfig, ';'), ''), ',' ORDER BY s.setrole, s.setdatabase)
          FROM pg_db_role_setting s
          WHERE s.setrole IN (SELECT oid FROM pg_roles WHERE rolname = current_user) OR s.setrole = 0),
       (SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory'
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())),
       (SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()),
       (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'evil%'),
       (SELECT count(*) FROM pg_class WHERE relname LIKE 'evil%'),
       (SELECT count(*) FROM pg_proc WHERE proname LIKE 'evil%'),
       (SELECT count(*) FROM pg_largeobject_metadata),
       (SELECT count(*) FROM pg_collation),
       (SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_settings
          WHERE name IN ('default_transaction_read_only', 'statement_timeout') AND source NOT IN ('session', 'client'))
     )) AS digest`,
    [schema],
  );
  const sequences = await admin.query<{ name: string; last: string | null }>(
    `SELECT sequencename::text AS name, last_value::text AS last FROM pg_sequences WHERE schemaname = $1 ORDER BY 1`,
    [schema],
  );
  parts.push(`state:${state.rows[0]?.digest}`);
  parts.push(`sequences:${sequences.rows.map((row) => `${row.name}=${row.last}`).join(",")}`);
  return parts.join("\n");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
