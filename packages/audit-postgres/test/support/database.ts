import { randomBytes } from "node:crypto";
import pg from "pg";

/** The real PostgreSQL the tests run against. */
export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function newPool(config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 4,
    connectionTimeoutMillis: 5000,
    ...config,
  });
  pool.on("error", () => {});
  return pool;
}

/** A unique lower-case identifier for this run: schemas and roles never collide between parallel runs. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

export interface TestSchema {
  readonly schema: string;
  /** An owner pool for the test's own SQL. */
  readonly pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh schema (not created yet: the migration creates it) and a pool; `drop` removes both. */
export function testSchema(prefix = "sy_audit"): TestSchema {
  const schema = uniqueName(prefix);
  const pool = newPool();
  return {
    schema,
    pool,
    async drop() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/** The DATABASE_URL with another host and port (for the proxy) and, optionally, a password put in. */
export function urlThrough(port: number, password?: string): string {
  const url = new URL(DATABASE_URL);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  if (password && !url.password) url.password = password;
  return url.toString();
}

/** The DATABASE_URL with a password put in when it has none (trust auth ignores it; it must never surface). */
export function urlWithPassword(password: string): string {
  const url = new URL(DATABASE_URL);
  if (!url.password) url.password = password;
  return url.toString();
}

/** The database server's clock (the tail and the `inserted_at` default use it). */
export async function databaseNow(pool: pg.Pool): Promise<Date> {
  return (await pool.query<{ now: Date }>("SELECT now() AS now")).rows[0]!.now;
}

export function databaseTarget(): { host: string; port: number } {
  const url = new URL(DATABASE_URL);
  return { host: url.hostname || "127.0.0.1", port: Number(url.port || 5432) };
}
