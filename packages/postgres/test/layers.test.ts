/**
 * Each read-only layer on its own: every other layer is switched off (PostgresTestingOptions), so what is
 * refused here is refused by that layer alone. Controls with every layer off show the attempt would have
 * worked. Layer 6 (least privilege) is in least-privilege.test.ts.
 */
import { ConnectorError } from "@switchyard/core";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  closeConnectors,
  connector,
  createTestSchema,
  fingerprint,
  onlyLayers,
  type TestSchema,
  uniqueName,
} from "./support/database.js";

let db: TestSchema;
let s: string;

beforeAll(async () => {
  db = await createTestSchema(
    "sy_layers",
    `CREATE TABLE $schema.accounts (id int PRIMARY KEY, owner text NOT NULL, balance int NOT NULL);
     INSERT INTO $schema.accounts SELECT g, 'owner ' || g, g * 10 FROM generate_series(1, 20) g;
     CREATE TABLE $schema.scratch (id int PRIMARY KEY, note text);
     CREATE SEQUENCE $schema.counter;
     CREATE FUNCTION $schema.sneaky_write() RETURNS int LANGUAGE sql VOLATILE AS
       'INSERT INTO ${"$schema"}.accounts VALUES (999, ''sneaky'', 0) RETURNING 1';`,
  );
  s = db.name;
});

afterEach(async () => {
  await closeConnectors();
  await db.admin.query(`TRUNCATE ${s}.scratch`);
});

afterAll(async () => {
  await db.drop();
});

async function refused(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(ConnectorError.isInstance(error)).toBe(true);
    return error as ConnectorError;
  }
  throw new Error("expected the call to be refused");
}

const accounts = () => `${s}.accounts`;

describe("layer 1 alone: one statement through the extended protocol", () => {
  it("the server itself refuses several statements in one call (42601)", async () => {
    const before = await fingerprint(db.admin, s);
    const postgres = connector({}, onlyLayers("singleStatement"));
    for (const sql of [
      `SELECT 1; DELETE FROM ${accounts()}`,
      `SELECT 1; COMMIT; DROP TABLE ${accounts()}`,
      `COMMIT; DELETE FROM ${accounts()}`,
      `SELECT 1; BEGIN READ WRITE; UPDATE ${accounts()} SET balance = 0; COMMIT`,
    ]) {
      const error = await refused(postgres.call("postgres_query", { sql }));
      expect(error.code).toBe("invalid_input");
      expect(error.upstream?.code).toBe("42601");
      expect(error.message).toContain("cannot insert multiple commands into a prepared statement");
    }
    expect(await fingerprint(db.admin, s)).toBe(before);
  });

  it("control: with every layer off the same string runs all its statements", async () => {
    await db.admin.query(`INSERT INTO ${s}.scratch VALUES (1, 'x')`);
    const postgres = connector({}, onlyLayers());
    await postgres.call("postgres_query", { sql: `SELECT 1; DELETE FROM ${s}.scratch` });
    expect((await db.admin.query(`SELECT count(*)::int AS n FROM ${s}.scratch`)).rows[0].n).toBe(0);
  });
});

describe("layer 2 alone: a verified BEGIN READ ONLY transaction", () => {
  it("PostgreSQL refuses every kind of write inside it (25006)", async () => {
    const before = await fingerprint(db.admin, s);
    const postgres = connector({}, onlyLayers("readOnlyTransaction"));
    for (const sql of [
      `DELETE FROM ${accounts()}`,
      `UPDATE ${accounts()} SET balance = 0`,
      `WITH d AS (DELETE FROM ${accounts()} RETURNING *) SELECT * FROM d`,
      `SELECT ${s}.sneaky_write()`,
      `SELECT * FROM ${accounts()} FOR UPDATE`,
      `SELECT nextval('${s}.counter')`,
      `SELECT setval('${s}.counter', 100)`,
      `CREATE TABLE ${s}.evil_table (a int)`,
      `SELECT * INTO ${s}.evil_copy FROM ${accounts()}`,
      `EXPLAIN ANALYZE DELETE FROM ${accounts()}`,
      `DO $$ BEGIN DELETE FROM ${accounts()}; END $$`,
      `TRUNCATE ${accounts()}`,
    ]) {
      const error = await refused(postgres.call("postgres_query", { sql }));
      expect({ sql, code: error.code, sqlstate: error.upstream?.code }).toEqual({
        sql,
        code: "permission_denied",
        sqlstate: "25006",
      });
    }
    expect(await fingerprint(db.admin, s)).toBe(before);
  });

  it("the transaction's mode cannot be changed: the snapshot is taken before the statement (25001)", async () => {
    const postgres = connector({}, onlyLayers("readOnlyTransaction"));
    for (const sql of [
      "SET transaction_read_only = off",
      "SET TRANSACTION READ WRITE",
      "SELECT set_config('transaction_read_only', 'off', true)",
    ]) {
      const error = await refused(postgres.call("postgres_query", { sql }));
      expect({ sql, code: error.code, sqlstate: error.upstream?.code }).toEqual({
        sql,
        code: "permission_denied",
        sqlstate: "25001",
      });
    }
  });

  it("a statement that ends the transaction is caught by the check after it, and its result discarded", async () => {
    const postgres = connector({}, onlyLayers("readOnlyTransaction"));
    for (const sql of ["COMMIT", "ROLLBACK", "END", "ABORT"]) {
      const error = await refused(postgres.call("postgres_query", { sql }));
      expect(error.code).toBe("permission_denied");
      expect(error.details).toMatchObject({ layer: "read-only-transaction", reason: "transaction_changed" });
    }
  });

  it("a write after COMMIT in the same string still meets the session's default_transaction_read_only", async () => {
    const before = await fingerprint(db.admin, s);
    const postgres = connector({}, onlyLayers("readOnlyTransaction"));
    const error = await refused(
      postgres.call("postgres_query", { sql: `COMMIT; DELETE FROM ${accounts()}` }),
    );
    expect(error.upstream?.code).toBe("25006");
    expect(await fingerprint(db.admin, s)).toBe(before);
  });

  it("what it cannot stop alone: a string that opens its own READ WRITE transaction (layer 1's job); it still reports it", async () => {
    await db.admin.query(`INSERT INTO ${s}.scratch VALUES (1, 'x')`);
    const postgres = connector({}, onlyLayers("readOnlyTransaction"));
    const error = await refused(
      postgres.call("postgres_query", {
        sql: `COMMIT; BEGIN READ WRITE; DELETE FROM ${s}.scratch; COMMIT; BEGIN READ ONLY`,
      }),
    );
    expect(error.details).toMatchObject({ layer: "read-only-transaction", reason: "transaction_changed" });
    expect((await db.admin.query(`SELECT count(*)::int AS n FROM ${s}.scratch`)).rows[0].n).toBe(0);
  });
});

describe("layer 3 alone: the SQL guard refuses before anything reaches the server", () => {
  it("refuses writes, transaction control, session commands and locking clauses without connecting", async () => {
    const before = await fingerprint(db.admin, s);
    const postgres = connector({}, onlyLayers("sqlGuard"));
    for (const sql of [
      `DELETE FROM ${accounts()}`,
      `WITH d AS (DELETE FROM ${accounts()} RETURNING *) SELECT * FROM d`,
      `SELECT 1; COMMIT; DROP TABLE ${accounts()}`,
      "COMMIT",
      "SET default_transaction_read_only = off",
      "SET ROLE postgres",
      "RESET ALL",
      `COPY ${accounts()} TO PROGRAM 'id'`,
      `DO $$ BEGIN DELETE FROM ${accounts()}; END $$`,
      "CALL some_procedure()",
      `LOCK TABLE ${accounts()} IN ACCESS EXCLUSIVE MODE`,
      `SELECT * FROM ${accounts()} FOR UPDATE`,
      `SELECT * INTO ${s}.evil_copy FROM ${accounts()}`,
      "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
      `PREPARE p AS DELETE FROM ${accounts()}`,
      "LISTEN x",
      `EXPLAIN ANALYZE DELETE FROM ${accounts()}`,
      `TRUNCATE ${accounts()}`,
    ]) {
      const error = await refused(postgres.call("postgres_query", { sql }));
      expect({ sql, code: error.code, layer: error.details?.layer }).toEqual({
        sql,
        code: "permission_denied",
        layer: "sql-guard",
      });
    }
    expect(postgres.poolStats().total).toBe(0);
    expect(await fingerprint(db.admin, s)).toBe(before);
  });
});

describe("layer 4 alone: the function deny list", () => {
  it("refuses side-effecting and file-reading functions that would otherwise run", async () => {
    const before = await fingerprint(db.admin, s);
    const postgres = connector({}, onlyLayers("functionDenyList"));
    for (const sql of [
      `SELECT nextval('${s}.counter')`,
      "SELECT pg_advisory_lock(4242)",
      "SELECT set_config('default_transaction_read_only', 'off', false)",
      "SELECT pg_stat_reset()",
      "SELECT pg_notify('chan', 'x')",
      "SELECT pg_read_file('/etc/hostname')",
      "SELECT ('/etc/hostname'::text).pg_read_file",
      "SELECT * FROM pg_ls_dir('.')",
      "SELECT lo_import('/etc/hostname')",
      "SELECT pg_sleep(60)",
    ]) {
      const error = await refused(postgres.call("postgres_query", { sql }));
      expect({ sql, code: error.code, layer: error.details?.layer }).toEqual({
        sql,
        code: "permission_denied",
        layer: "function-deny-list",
      });
    }
    expect(postgres.poolStats().total).toBe(0);
    expect(await fingerprint(db.admin, s)).toBe(before);
  });

  it("control: with every layer off, nextval advances the sequence and pg_read_file reads a server file", async () => {
    const postgres = connector({}, onlyLayers());
    const { output } = await postgres.call("postgres_query", { sql: `SELECT nextval('${s}.counter') AS n` });
    expect(output.items).toEqual([{ n: 1 }]);
    const file = await postgres.call("postgres_query", { sql: "SELECT pg_read_file('PG_VERSION') AS v" });
    expect((file.output.items as { v: string }[])[0]?.v).toMatch(/^\d+/);
    await db.admin.query(`SELECT setval('${s}.counter', 1, false)`);
  });
});

describe("layer 5 alone: the session is reset before the connection goes back to the pool", () => {
  const probes = {
    prepared: "SELECT count(*)::int AS n FROM pg_prepared_statements",
    advisory:
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
    setting: "SELECT current_setting('statement_timeout') AS n",
    searchPath: "SELECT current_setting('search_path') AS n",
    listening: "SELECT count(*)::int AS n FROM pg_listening_channels()",
    temp: "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'leak' AND relpersistence = 't' AND pg_table_is_visible(oid)",
    cursors: "SELECT count(*)::int AS n FROM pg_cursors",
    role: "SELECT current_user::text AS n",
    readWrite: "SELECT current_setting('default_transaction_read_only') AS n",
  };
  const leaks = (role: string): [keyof typeof probes, string][] => [
    ["prepared", "PREPARE leak AS SELECT 1"],
    ["advisory", "SELECT pg_advisory_lock(777)"],
    ["setting", "SET statement_timeout = 1234"],
    ["searchPath", "SET search_path = evil_schema"],
    ["listening", "LISTEN leak_channel"],
    ["temp", "CREATE TEMP TABLE leak (a int)"],
    ["cursors", "DECLARE leak CURSOR WITH HOLD FOR SELECT 1"],
    ["role", `SET ROLE ${pg.escapeIdentifier(role)}`],
    ["readWrite", "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"],
  ];

  async function observe(resetOn: boolean, role: string) {
    const postgres = connector({ max: 1 }, resetOn ? onlyLayers("sessionReset") : onlyLayers());
    const baseline: Record<string, unknown> = {};
    for (const [name, sql] of Object.entries(probes)) {
      baseline[name] = (
        (await postgres.call("postgres_query", { sql })).output.items as { n: unknown }[]
      )[0]?.n;
    }
    const after: Record<string, unknown> = {};
    for (const [name, sql] of leaks(role)) {
      await postgres.call("postgres_query", { sql });
      after[name] = (
        (await postgres.call("postgres_query", { sql: probes[name] })).output.items as { n: unknown }[]
      )[0]?.n;
    }
    return { baseline, after };
  }

  it("prepared statements, advisory locks, settings, LISTEN, temp tables, held cursors and roles do not survive a call", async () => {
    const role = uniqueName("sy_pg_layer5");
    await db.admin.query(`CREATE ROLE ${pg.escapeIdentifier(role)} NOLOGIN`);
    try {
      const withReset = await observe(true, role);
      expect(withReset.after).toEqual(withReset.baseline);
      const control = await observe(false, role);
      for (const name of Object.keys(probes)) {
        expect({ name, leaked: control.after[name] !== control.baseline[name] }).toEqual({
          name,
          leaked: true,
        });
      }
    } finally {
      await closeConnectors();
      await db.admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
    }
  });

  it("an open transaction is rolled back, never carried into the next call", async () => {
    const insertAfterBegin = async (resetOn: boolean, id: number) => {
      const postgres = connector({ max: 1 }, resetOn ? onlyLayers("sessionReset") : onlyLayers());
      await postgres.call("postgres_query", { sql: "BEGIN" });
      await postgres.call("postgres_query", { sql: `INSERT INTO ${s}.scratch VALUES (${id}, 'x')` });
      const visible = await db.admin.query(`SELECT count(*)::int AS n FROM ${s}.scratch WHERE id = $1`, [id]);
      await postgres.close();
      return visible.rows[0].n === 1;
    };
    // With the reset, BEGIN was rolled back: the INSERT ran on its own and everyone sees it.
    expect(await insertAfterBegin(true, 1)).toBe(true);
    // Without it, the INSERT ran inside the leftover transaction, invisible to others (and lost on close).
    expect(await insertAfterBegin(false, 2)).toBe(false);
  });
});
