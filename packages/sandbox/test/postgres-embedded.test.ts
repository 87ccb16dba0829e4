import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CUSTOMER_COUNT, DEMO_ORDER_COUNT, type Sandbox, startSandbox } from "../src/index.js";

/**
 * Embedded PostgreSQL (PGlite behind pglite-socket) through startSandbox, driven by node-postgres. One
 * database for the whole file: PGlite takes about 2 s to start.
 */

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let sandbox: Sandbox<never>;
let port: number;
let pool: pg.Pool;

beforeAll(async () => {
  port = await freePort();
  // What the CLI does: pass DATABASE_URL through; unset, so the embedded database starts.
  sandbox = await startSandbox({ upstreams: [], postgres: { databaseUrl: undefined, port } });
  pool = new pg.Pool({ connectionString: sandbox.env.DATABASE_URL, max: 3 });
  pool.on("error", () => undefined);
}, 30_000);
afterAll(async () => {
  await pool?.end();
  await sandbox?.close();
});

describe("startSandbox({ postgres })", () => {
  it("puts the embedded database's URL in env.DATABASE_URL, on 127.0.0.1 and the requested port", () => {
    expect(sandbox.env.DATABASE_URL).toBe(`postgres://postgres@127.0.0.1:${port}/postgres`);
    expect(sandbox.postgres).toMatchObject({ source: "embedded", databaseUrl: sandbox.env.DATABASE_URL });
    expect(sandbox.postgres?.embedded?.port).toBe(port);
  });

  it("an existing DATABASE_URL wins: nothing starts and env carries the caller's URL", async () => {
    const external = await startSandbox({
      upstreams: [],
      postgres: { databaseUrl: "postgres://app:secret@db.internal:5432/app" },
    });
    try {
      expect(external.env.DATABASE_URL).toBe("postgres://app:secret@db.internal:5432/app");
      expect(external.postgres).toMatchObject({ source: "external", embedded: undefined });
    } finally {
      await external.close();
    }
    const none = await startSandbox({ upstreams: [] });
    expect(none.env.DATABASE_URL).toBeUndefined();
    expect(none.postgres).toBeUndefined();
    await none.close();
  });

  it("is lazy: PGlite is imported only inside startEmbeddedPostgres, with a dynamic import", () => {
    const src = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "src");
    const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((file) =>
      file.endsWith(".ts"),
    );
    const loaders = files.filter((file) =>
      /from\s+"@electric-sql\/pglite(-socket)?"/.test(
        readFileSync(path.join(src, file), "utf8").replace(/import type[^;]+;/g, ""),
      ),
    );
    expect(loaders).toEqual([]);
    const embedded = readFileSync(path.join(src, "postgres", "embedded-postgres.ts"), "utf8");
    expect(embedded).toContain('import("@electric-sql/pglite")');
    expect(embedded).toContain('import("@electric-sql/pglite-socket")');
  });
});

describe("node-postgres against the embedded database", () => {
  it("connects and reads the seeded demo schema", async () => {
    const counts = await pool.query<{ customers: number; orders: number }>(
      "SELECT (SELECT count(*) FROM demo.customers)::int AS customers, (SELECT count(*) FROM demo.orders)::int AS orders",
    );
    expect(counts.rows[0]).toEqual({ customers: DEMO_CUSTOMER_COUNT, orders: DEMO_ORDER_COUNT });
    const version = await pool.query<{ server_version: string }>("SHOW server_version");
    expect(version.rows[0]?.server_version).toMatch(/^\d+/);
  });

  it("has comments, a foreign key and indexes for database tools to show", async () => {
    const comments = await pool.query<{ table_comment: string; column_comment: string }>(
      `SELECT obj_description('demo.orders'::regclass, 'pg_class') AS table_comment,
              col_description('demo.orders'::regclass, 2) AS column_comment`,
    );
    expect(comments.rows[0]).toEqual({
      table_comment: "Orders placed by customers",
      column_comment: "The customer who placed the order (demo.customers.id)",
    });
    const foreignKeys = await pool.query(
      `SELECT conrelid::regclass::text AS from_table, confrelid::regclass::text AS to_table
       FROM pg_constraint WHERE contype = 'f' AND connamespace = 'demo'::regnamespace`,
    );
    expect(foreignKeys.rows).toEqual([{ from_table: "demo.orders", to_table: "demo.customers" }]);
    const indexes = await pool.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'demo' AND tablename = 'orders' ORDER BY indexname",
    );
    expect(indexes.rows.map((row) => row.indexname)).toEqual([
      "orders_customer_id_idx",
      "orders_pkey",
      "orders_placed_at_idx",
    ]);
  });

  it("runs parameterized queries (and concurrent pooled ones)", async () => {
    const orders = await pool.query<{ id: number; customer_id: number; status: string }>(
      "SELECT id, customer_id, status FROM demo.orders WHERE customer_id = $1 AND status = ANY($2::text[]) ORDER BY id",
      [42, ["paid", "shipped"]],
    );
    expect(orders.rows.length).toBeGreaterThan(0);
    expect(
      orders.rows.every((row) => row.customer_id === 42 && ["paid", "shipped"].includes(row.status)),
    ).toBe(true);
    const results = await Promise.all(
      [1, 2, 3].map((id) =>
        pool.query<{ email: string }>("SELECT email FROM demo.customers WHERE id = $1", [id]),
      ),
    );
    expect(results.map((result) => result.rows[0]?.email)).toEqual([
      "grace.lovelace.1@example.com",
      "alan.lovelace.2@example.com",
      "edsger.lovelace.3@example.com",
    ]);
  });

  it("BEGIN/ROLLBACK undoes the work; errors carry SQLSTATE codes", async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("DELETE FROM demo.orders WHERE customer_id = $1", [7]);
      const inside = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM demo.orders WHERE customer_id = 7",
      );
      expect(inside.rows[0]?.n).toBe(0);
      await client.query("ROLLBACK");
      const after = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM demo.orders WHERE customer_id = 7",
      );
      expect(after.rows[0]?.n).toBeGreaterThan(0);

      await expect(
        client.query(
          "INSERT INTO demo.orders (id, customer_id, status, total_cents, placed_at) VALUES (1, 1, 'paid', 1, now())",
        ),
      ).rejects.toMatchObject({
        code: "23505",
      });
      await expect(client.query("SELECT * FROM demo.nope")).rejects.toMatchObject({ code: "42P01" });
    } finally {
      client.release();
    }
  });
});
