/**
 * Layer 6: the connector logs in as the role sql/least-privilege.sql creates. The script itself is run (with
 * psql's variable syntax substituted the way psql would), then the connector works as that role, doctor
 * reports it clean, and with every connector layer switched off the database's privileges alone refuse writes.
 */
import { readFileSync } from "node:fs";
import { ConnectorError } from "@switchyard/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  closeConnectors,
  connector,
  createTestSchema,
  fingerprint,
  onlyLayers,
  type TestSchema,
  uniqueName,
} from "./support/database.js";

const SCRIPT = new URL("../sql/least-privilege.sql", import.meta.url);

/** psql's `:"name"` (identifier) and `:'name'` (literal) interpolation, comments dropped first. */
function substitutePsqlVariables(script: string, variables: Record<string, string>): string {
  return script
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--") && !line.trimStart().startsWith("\\"))
    .join("\n")
    .replace(/:"([a-z_]+)"/g, (_, name: string) => {
      const value = variables[name];
      if (value === undefined) throw new Error(`missing psql variable ${name}`);
      return pg.escapeIdentifier(value);
    })
    .replace(/:'([a-z_]+)'/g, (_, name: string) => {
      const value = variables[name];
      if (value === undefined) throw new Error(`missing psql variable ${name}`);
      return pg.escapeLiteral(value);
    });
}

let db: TestSchema;
let group: string;
let login: string;
const password = "agent-password-not-for-prod";

beforeAll(async () => {
  db = await createTestSchema(
    "sy_lp",
    `CREATE TABLE $schema.products (id int PRIMARY KEY, name text NOT NULL, price numeric(8, 2));
     INSERT INTO $schema.products SELECT g, 'product ' || g, g * 1.5 FROM generate_series(1, 30) g;
     CREATE SEQUENCE $schema.counter;`,
  );
  group = uniqueName("sy_pg_readers");
  login = uniqueName("sy_pg_agent");
  const sql = substitutePsqlVariables(readFileSync(SCRIPT, "utf8"), {
    reader_group: group,
    agent_login: login,
    agent_password: password,
    database: inject("databaseName"),
    schema: db.name,
    owner: "postgres",
  });
  await db.admin.query(sql);
  // A table created after the script: default privileges make it readable too.
  await db.admin.query(`CREATE TABLE ${db.name}.later (id int PRIMARY KEY)`);
});

afterAll(async () => {
  await closeConnectors();
  await db.admin.query(`DROP OWNED BY ${pg.escapeIdentifier(login)}, ${pg.escapeIdentifier(group)}`);
  await db.drop();
  const admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
  try {
    await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(login)}`);
    await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(group)}`);
  } finally {
    await admin.end();
  }
});

const asAgent = (layers: Parameters<typeof connector>[1] = {}) =>
  connector({ user: login, password }, layers);

describe("least-privilege role (sql/least-privilege.sql)", () => {
  it("the connector reads as the role, including tables created later", async () => {
    const postgres = asAgent();
    const tables = await postgres.call("postgres_list_tables", { schema: db.name });
    expect(tables.output.items).toEqual([
      expect.objectContaining({ name: "later", readable: true }),
      expect.objectContaining({ name: "products", readable: true }),
    ]);
    const { output } = await postgres.call("postgres_query", {
      sql: `SELECT id, price FROM ${db.name}.products ORDER BY id LIMIT 2`,
    });
    expect(output.items).toEqual([
      { id: 1, price: 1.5 },
      { id: 2, price: 3 },
    ]);
    await expect(postgres.call("postgres_query", { sql: `TABLE ${db.name}.later` })).resolves.toBeDefined();
  });

  it("doctor sees a read-only, non-superuser role that cannot create anything", async () => {
    const postgres = asAgent();
    const inspection = await postgres.inspect();
    expect(inspection).toMatchObject({
      user: login,
      superuser: false,
      roleReadOnlyDefault: true,
      roleStatementTimeout: "15s",
      canCreateInSchemas: [],
    });
    const diagnosis = await postgres.diagnose();
    expect(diagnosis.identity).toBe(`${login}@${inject("databaseName")}`);
    expect(diagnosis.problems).toEqual([]);
  });

  it("with every connector layer off, the role's privileges alone refuse writes", async () => {
    const before = await fingerprint(db.admin, db.name);
    const t = `${db.name}.products`;
    const outcomes: { sql: string; code: string; sqlstate: string | undefined }[] = [];
    for (const sql of [
      `DELETE FROM ${t}`,
      `UPDATE ${t} SET price = 0`,
      `INSERT INTO ${t} VALUES (99, 'x', 1)`,
      `COMMIT; BEGIN READ WRITE; DELETE FROM ${t}; COMMIT`,
      `BEGIN READ WRITE; TRUNCATE ${t}; COMMIT`,
      `BEGIN READ WRITE; CREATE TABLE ${db.name}.evil_table (a int); COMMIT`,
      `BEGIN READ WRITE; SELECT nextval('${db.name}.counter'); COMMIT`,
      `BEGIN READ WRITE; DROP TABLE ${t}; COMMIT`,
      "BEGIN READ WRITE; CREATE SCHEMA evil_schema; COMMIT",
      "SELECT pg_read_file('/etc/hostname')",
      "SELECT lo_import('/etc/hostname')",
      "SET ROLE postgres",
      `BEGIN READ WRITE; COPY ${t} TO PROGRAM 'id'; COMMIT`,
    ]) {
      // A fresh connector per attempt: without the session-reset layer, a failed transaction would linger.
      const postgres = asAgent(onlyLayers());
      try {
        await postgres.call("postgres_query", { sql });
        outcomes.push({ sql, code: "ACCEPTED", sqlstate: undefined });
      } catch (error) {
        expect(ConnectorError.isInstance(error)).toBe(true);
        const typed = error as ConnectorError;
        outcomes.push({ sql, code: typed.code, sqlstate: typed.upstream?.code });
      } finally {
        await postgres.close();
      }
    }
    expect(outcomes.filter((outcome) => outcome.code !== "permission_denied")).toEqual([]);
    expect(new Set(outcomes.map((outcome) => outcome.sqlstate))).toEqual(new Set(["42501", "25006"]));
    expect(await fingerprint(db.admin, db.name)).toBe(before);
  });
});
