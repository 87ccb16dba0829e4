import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeConnectors, connector, createTestSchema, type TestSchema } from "./support/database.js";

let db: TestSchema;
let s: string;

beforeAll(async () => {
  db = await createTestSchema(
    "sy_read",
    `CREATE TABLE $schema.customers (
       id int PRIMARY KEY,
       email text NOT NULL UNIQUE,
       name text,
       region text
     );
     COMMENT ON TABLE $schema.customers IS 'People who buy';
     COMMENT ON COLUMN $schema.customers.email IS 'Login and contact address';
     INSERT INTO $schema.customers
       SELECT g, 'c' || g || '@example.com', 'Customer ' || (g % 40), CASE WHEN g % 2 = 0 THEN 'north' ELSE 'south' END
       FROM generate_series(1, 250) g;
     CREATE TABLE $schema.orders (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       customer_id int NOT NULL REFERENCES $schema.customers (id) ON DELETE CASCADE,
       total numeric(10, 2) CHECK (total >= 0),
       status text DEFAULT 'new',
       paid boolean,
       tags text[],
       scores int[],
       meta jsonb,
       blob bytea,
       big bigint,
       ratio double precision,
       placed_at timestamp,
       paid_at timestamptz
     );
     CREATE INDEX orders_customer_idx ON $schema.orders (customer_id);
     INSERT INTO $schema.orders (customer_id, total, status, paid, tags, scores, meta, blob, big, ratio, placed_at, paid_at)
     VALUES (1, 12.50, 'paid', true, ARRAY['a b', 'c"d', NULL], ARRAY[1, 2, 3], '{"k": [1, {"x": null}]}',
             '\\x000102030405060708', 9007199254740993, 0.25, '2024-01-02 03:04:05.123456',
             '2024-01-02 03:04:05.5+00'),
            (2, NULL, 'new', NULL, NULL, NULL, NULL, NULL, 42, 'NaN', NULL, NULL);
     CREATE VIEW $schema.north AS SELECT id, email FROM $schema.customers WHERE region = 'north';
     ANALYZE $schema.customers;`,
  );
  s = db.name;
});

afterAll(async () => {
  await closeConnectors();
  await db.drop();
});

describe("catalog tools", () => {
  it("postgres_list_schemas finds the schema and pages by name", async () => {
    const postgres = connector();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const { output } = await postgres.call("postgres_list_schemas", {
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      const items = output.items as { name: string; writable: boolean }[];
      seen.push(...items.map((item) => item.name));
      cursor = (output.nextCursor as string | null) ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toContain(s);
    expect(seen).toContain("public");
    expect(seen).not.toContain("pg_catalog");
    expect(new Set(seen).size).toBe(seen.length);
    const withSystem = await postgres.call("postgres_list_schemas", { includeSystem: true, limit: 200 });
    expect((withSystem.output.items as { name: string }[]).map((item) => item.name)).toContain("pg_catalog");
  });

  it("postgres_list_tables lists tables and views with estimates and comments, paged", async () => {
    const postgres = connector();
    const first = await postgres.call("postgres_list_tables", { schema: s, limit: 2 });
    expect(first.output.items).toEqual([
      {
        schema: s,
        name: "customers",
        kind: "table",
        rowEstimate: 250,
        comment: "People who buy",
        readable: true,
      },
      { schema: s, name: "north", kind: "view", rowEstimate: null, comment: null, readable: true },
    ]);
    expect(first.output.nextCursor).toEqual(expect.any(String));
    const second = await postgres.call("postgres_list_tables", {
      schema: s,
      limit: 2,
      cursor: first.output.nextCursor,
    });
    expect((second.output.items as { name: string }[]).map((item) => item.name)).toEqual(["orders"]);
    expect(second.output.nextCursor).toBeNull();
    const tablesOnly = await postgres.call("postgres_list_tables", { schema: s, includeViews: false });
    expect((tablesOnly.output.items as { name: string }[]).map((item) => item.name)).toEqual([
      "customers",
      "orders",
    ]);
  });

  it("postgres_describe_table shows columns, keys, foreign keys both ways, checks and indexes", async () => {
    const postgres = connector();
    const { output } = await postgres.call("postgres_describe_table", { schema: s, table: "orders" });
    expect(output).toMatchObject({ schema: s, name: "orders", kind: "table" });
    const columns = output.columns as {
      name: string;
      type: string;
      nullable: boolean;
      identity: string | null;
    }[];
    expect(columns.slice(0, 4)).toEqual([
      expect.objectContaining({ name: "id", type: "bigint", nullable: false, identity: "always" }),
      expect.objectContaining({ name: "customer_id", type: "integer", nullable: false }),
      expect.objectContaining({ name: "total", type: "numeric(10,2)", nullable: true }),
      expect.objectContaining({ name: "status", default: "'new'::text" }),
    ]);
    expect(output.primaryKey).toEqual({ name: "orders_pkey", columns: ["id"] });
    expect(output.foreignKeys).toEqual([
      {
        name: "orders_customer_id_fkey",
        columns: ["customer_id"],
        references: { schema: s, table: "customers", columns: ["id"] },
        onUpdate: "NO ACTION",
        onDelete: "CASCADE",
      },
    ]);
    expect(output.checks).toEqual([
      { name: "orders_total_check", definition: "CHECK ((total >= (0)::numeric))" },
    ]);
    expect((output.indexes as { name: string }[]).map((index) => index.name)).toEqual([
      "orders_customer_idx",
      "orders_pkey",
    ]);

    const customers = await postgres.call("postgres_describe_table", { schema: s, table: "customers" });
    expect(customers.output.comment).toBe("People who buy");
    expect(customers.output.uniqueConstraints).toEqual([{ name: "customers_email_key", columns: ["email"] }]);
    expect(customers.output.referencedBy).toEqual([
      { name: "orders_customer_id_fkey", schema: s, table: "orders", columns: ["customer_id"] },
    ]);
    expect((customers.output.columns as { name: string; comment: string | null }[])[1]?.comment).toBe(
      "Login and contact address",
    );

    await expect(
      postgres.call("postgres_describe_table", { schema: s, table: "nope" }),
    ).rejects.toMatchObject({
      code: "not_found",
      hint: expect.stringContaining("postgres_list_tables"),
    });
  });
});

describe("postgres_query", () => {
  it("returns typed values and column types", async () => {
    const postgres = connector({ maxByteaBytes: 4 });
    const { output } = await postgres.call("postgres_query", {
      sql: `SELECT id, total, status, paid, tags, scores, meta, blob, big, ratio, placed_at, paid_at,
              NULL::text AS nothing, 1 AS id
            FROM ${s}.orders WHERE customer_id = $1`,
      params: [1],
    });
    expect(output.items).toEqual([
      {
        id: 1,
        total: 12.5,
        status: "paid",
        paid: true,
        tags: ["a b", 'c"d', null],
        scores: [1, 2, 3],
        meta: { k: [1, { x: null }] },
        blob: { base64: Buffer.from([0, 1, 2, 3]).toString("base64"), bytes: 9, truncated: true },
        big: "9007199254740993",
        ratio: 0.25,
        placed_at: "2024-01-02T03:04:05.123456",
        paid_at: expect.stringMatching(/^2024-01-02T\d\d:\d\d:05\.5[+-]\d\d:\d\d$/),
        nothing: null,
        id_2: 1,
      },
    ]);
    expect(output.columns).toEqual(
      expect.arrayContaining([
        { name: "total", key: "total", type: "numeric(10,2)" },
        { name: "paid_at", key: "paid_at", type: "timestamp with time zone" },
        { name: "tags", key: "tags", type: "text[]" },
        { name: "id", key: "id_2", type: "integer" },
      ]),
    );
    const second = await postgres.call("postgres_query", {
      sql: `SELECT big, ratio, total FROM ${s}.orders WHERE customer_id = 2`,
    });
    expect(second.output.items).toEqual([{ big: 42, ratio: "NaN", total: null }]);
  });

  it("pages a totally ordered query: every row exactly once, in order", async () => {
    const postgres = connector();
    const ids: number[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const { output } = await postgres.call("postgres_query", {
        sql: `SELECT id, email FROM ${s}.customers ORDER BY id`,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      calls += 1;
      expect(output.orderIsTotal).toBe(true);
      ids.push(...(output.items as { id: number }[]).map((row) => row.id));
      cursor = (output.nextCursor as string | null) ?? undefined;
    } while (cursor);
    expect(calls).toBe(3);
    expect(ids).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
  });

  it("resumes exactly where the output budget cut the page", async () => {
    const postgres = connector({ outputBudget: { maxBytes: 3000, maxTokens: 100_000 } });
    const ids: number[] = [];
    let cursor: string | undefined;
    let truncatedCalls = 0;
    for (let call = 0; call < 100; call += 1) {
      const { output, metadata } = await postgres.call("postgres_query", {
        sql: `SELECT id, email, name FROM ${s}.customers WHERE id <= 120 ORDER BY email`,
        limit: 50,
        ...(cursor ? { cursor } : {}),
      });
      if (metadata.truncated) truncatedCalls += 1;
      expect(metadata.outputBytes).toBeLessThanOrEqual(3000);
      ids.push(...(output.items as { id: number }[]).map((row) => row.id));
      cursor = (output.nextCursor as string | null) ?? undefined;
      if (!cursor) break;
    }
    expect(truncatedCalls).toBeGreaterThan(0);
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it("says when the order is not total", async () => {
    const postgres = connector();
    const cases: [string, boolean][] = [
      [`SELECT id FROM ${s}.customers`, false],
      [`SELECT id, name FROM ${s}.customers ORDER BY name`, false],
      [`SELECT name AS id, email FROM ${s}.customers ORDER BY id`, false],
      [`SELECT id, name FROM ${s}.customers ORDER BY email`, true],
      [`SELECT * FROM ${s}.customers ORDER BY name, id`, true],
      [`SELECT region, count(*) FROM ${s}.customers GROUP BY region ORDER BY region`, true],
      [`SELECT region FROM ${s}.customers ORDER BY 1`, true],
      [`SELECT c.id FROM ${s}.customers c JOIN ${s}.orders o ON o.customer_id = c.id ORDER BY c.name`, false],
      ["VALUES (2), (1) ORDER BY 1", true],
    ];
    for (const [sql, total] of cases) {
      const { output } = await postgres.call("postgres_query", { sql, limit: 1 });
      expect({ sql, total: output.orderIsTotal }).toEqual({ sql, total });
      if (!total) expect((output.notes as string[]).join(" ")).toMatch(/ORDER BY/);
    }
  });

  it("caps rows: limit at most 1,000, and the maxRows setting below that", async () => {
    await expect(connector().call("postgres_query", { sql: "SELECT 1", limit: 1001 })).rejects.toMatchObject({
      code: "invalid_input",
    });
    const capped = connector({ maxRows: 20 });
    const { output } = await capped.call("postgres_query", {
      sql: "SELECT g FROM generate_series(1, 100000) g ORDER BY g",
      limit: 1000,
    });
    expect(output.items).toHaveLength(20);
    expect(output.nextCursor).toEqual(expect.any(String));
  });

  it("binds cursors to the query", async () => {
    const postgres = connector();
    const first = await postgres.call("postgres_query", {
      sql: `SELECT id FROM ${s}.customers ORDER BY id`,
      limit: 5,
    });
    await expect(
      postgres.call("postgres_query", {
        sql: `SELECT id FROM ${s}.orders ORDER BY id`,
        cursor: first.output.nextCursor,
      }),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("runs EXPLAIN of a read and pages statements it cannot wrap through the portal", async () => {
    const postgres = connector();
    const { output } = await postgres.call("postgres_query", {
      sql: `EXPLAIN SELECT * FROM ${s}.customers WHERE id = 1`,
      limit: 1,
    });
    expect(output.items).toHaveLength(1);
    expect(output.nextCursor).toEqual(expect.any(String));
    const next = await postgres.call("postgres_query", {
      sql: `EXPLAIN SELECT * FROM ${s}.customers WHERE id = 1`,
      limit: 1,
      cursor: output.nextCursor,
    });
    expect(next.output.items).not.toEqual(output.items);
  });
});

describe("postgres_explain", () => {
  it("plans reads and writes without running them", async () => {
    const postgres = connector();
    const read = await postgres.call("postgres_explain", {
      sql: `SELECT * FROM ${s}.customers WHERE id = $1`,
      params: [3],
    });
    expect(read.output.summary).toMatchObject({
      nodeType: expect.stringMatching(/Scan$/),
      relations: expect.arrayContaining(["customers"]),
    });
    expect(Array.isArray(read.output.plan)).toBe(true);

    const write = await postgres.call("postgres_explain", { sql: `DELETE FROM ${s}.orders` });
    expect(write.output.summary).toMatchObject({ nodeType: "ModifyTable" });
    const count = await db.admin.query(`SELECT count(*)::int AS n FROM ${s}.orders`);
    expect(count.rows[0].n).toBe(2);
    await expect(
      postgres.call("postgres_explain", { sql: `EXPLAIN ANALYZE DELETE FROM ${s}.orders` }),
    ).rejects.toMatchObject({ code: "permission_denied" });
  });
});

describe("doctor", () => {
  it("reports identity, server version, read-only status and pool load", async () => {
    const postgres = connector();
    const diagnosis = await postgres.diagnose();
    expect(diagnosis.reachable).toBe(true);
    expect(diagnosis.identity).toMatch(/^postgres@sy_pg_/);
    expect(diagnosis.scopes).toEqual([
      expect.stringMatching(/^server: PostgreSQL 1\d/),
      expect.stringMatching(/^read-only: session on, role default off/),
      expect.stringMatching(/^pool: \d+\/5 connections/),
    ]);
    // Logged in as a superuser: doctor says so.
    expect(diagnosis.problems.map((problem) => problem.message).join(" ")).toMatch(/superuser/);
    const inspection = await postgres.inspect();
    expect(inspection).toMatchObject({ user: "postgres", sessionReadOnly: true, superuser: true });
  });
});
