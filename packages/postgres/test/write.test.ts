import type { ApprovalRequest } from "@switchyard/core";
import { ConnectorError } from "@switchyard/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  closeConnectors,
  connector,
  createTestSchema,
  fingerprint,
  type TestSchema,
  uniqueName,
} from "./support/database.js";

let app: TestSchema;
let other: TestSchema;
let a: string;
let o: string;

const SETUP = `CREATE TABLE $schema.notes (id int PRIMARY KEY, body text NOT NULL CHECK (body <> ''), n int DEFAULT 0);
  INSERT INTO $schema.notes SELECT g, 'note ' || g, 0 FROM generate_series(1, 10) g;`;

beforeAll(async () => {
  app = await createTestSchema("sy_write_app", SETUP);
  other = await createTestSchema("sy_write_other", SETUP);
  a = app.name;
  o = other.name;
});

afterEach(async () => {
  await closeConnectors();
});

afterAll(async () => {
  await app.drop();
  await other.drop();
});

async function refused(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(ConnectorError.isInstance(error)).toBe(true);
    return error as ConnectorError;
  }
  throw new Error("expected a refusal");
}

const count = async (schema: TestSchema, where = "true") =>
  (await schema.admin.query(`SELECT count(*)::int AS n FROM ${schema.name}.notes WHERE ${where}`)).rows[0]
    .n as number;

describe("postgres_execute", () => {
  it("is off unless writes are allowed", async () => {
    const postgres = connector({ schemas: [a] });
    const error = await refused(postgres.call("postgres_execute", { sql: `DELETE FROM ${a}.notes` }));
    expect(error).toMatchObject({ code: "permission_denied", notApplied: true });
    expect(await count(app)).toBe(10);
  });

  it("runs INSERT/UPDATE/DELETE/MERGE in allowlisted schemas and reports rows affected and RETURNING rows", async () => {
    const postgres = connector({ allowWrites: true, schemas: [a] });
    const inserted = await postgres.call("postgres_execute", {
      sql: `INSERT INTO ${a}.notes (id, body) VALUES ($1, $2), ($3, $4) RETURNING id, body`,
      params: [11, "eleven", 12, "twelve"],
    });
    expect(inserted.output).toMatchObject({
      command: "INSERT",
      rowsAffected: 2,
      schemas: [a],
      returning: [
        { id: 11, body: "eleven" },
        { id: 12, body: "twelve" },
      ],
      returningTruncated: false,
    });
    const updated = await postgres.call("postgres_execute", {
      sql: `UPDATE ${a}.notes SET n = n + 1 WHERE id > $1`,
      params: [5],
    });
    expect(updated.output).toMatchObject({ command: "UPDATE", rowsAffected: 7, returning: [], columns: [] });
    const merged = await postgres.call("postgres_execute", {
      sql: `MERGE INTO ${a}.notes t USING (VALUES (12, 'changed'), (13, 'new')) s(id, body) ON t.id = s.id
            WHEN MATCHED THEN UPDATE SET body = s.body WHEN NOT MATCHED THEN INSERT (id, body) VALUES (s.id, s.body)`,
    });
    expect(merged.output).toMatchObject({ command: "MERGE", rowsAffected: 2 });
    const deleted = await postgres.call("postgres_execute", { sql: `DELETE FROM ${a}.notes WHERE id > 10` });
    expect(deleted.output).toMatchObject({ command: "DELETE", rowsAffected: 3 });
    expect(await count(app)).toBe(10);
    await app.admin.query(`UPDATE ${a}.notes SET n = 0`);
  });

  it("counts every row but keeps at most returningLimit RETURNING rows", async () => {
    const postgres = connector({ allowWrites: true, schemas: [a] });
    const { output } = await postgres.call("postgres_execute", {
      sql: `UPDATE ${a}.notes SET n = n RETURNING id`,
      returningLimit: 3,
    });
    expect(output).toMatchObject({ rowsAffected: 10, returningTruncated: true });
    expect(output.returning).toHaveLength(3);
  });

  it("resolves unqualified names in the default schema", async () => {
    const postgres = connector({ allowWrites: true, schemas: [a], defaultSchema: a });
    const { output } = await postgres.call("postgres_execute", {
      sql: "UPDATE notes SET n = 0 WHERE id = 1",
    });
    expect(output).toMatchObject({ rowsAffected: 1, schemas: [a] });
    const missing = await refused(postgres.call("postgres_execute", { sql: "DELETE FROM no_such_table" }));
    expect(missing).toMatchObject({ code: "not_found", notApplied: true });
  });

  it("refuses schemas outside the allowlist, including a data-modifying CTE's target", async () => {
    const before = await fingerprint(other.admin, o);
    const postgres = connector({ allowWrites: true, schemas: [a] });
    for (const sql of [
      `DELETE FROM ${o}.notes`,
      `WITH gone AS (DELETE FROM ${o}.notes RETURNING id) UPDATE ${a}.notes SET n = n WHERE id IN (SELECT id FROM gone)`,
    ]) {
      const error = await refused(postgres.call("postgres_execute", { sql }));
      expect(error).toMatchObject({ code: "permission_denied", notApplied: true, details: { schemas: [o] } });
    }
    const nothingListed = connector({ allowWrites: true });
    await expect(
      nothingListed.call("postgres_execute", { sql: `DELETE FROM ${a}.notes` }),
    ).rejects.toMatchObject({ code: "permission_denied" });
    expect(await fingerprint(other.admin, o)).toBe(before);
    expect(await count(app)).toBe(10);
  });

  it("asks for approval for unlisted schemas under when-unlisted, and an approval clears that schema once", async () => {
    const seen: ApprovalRequest[] = [];
    const postgres = connector({
      allowWrites: true,
      schemas: [a],
      approval: {
        policies: { postgres_execute: "when-unlisted" },
        approve: async (request) => {
          seen.push(request);
          return { approved: request.input.sql !== `DELETE FROM ${o}.notes`, by: "tester" };
        },
      },
    });
    // Listed: no approval asked.
    await postgres.call("postgres_execute", { sql: `UPDATE ${a}.notes SET n = 0 WHERE id = 1` });
    expect(seen).toHaveLength(0);
    // Unlisted and approved.
    const approved = await postgres.call("postgres_execute", {
      sql: `UPDATE ${o}.notes SET n = 5 WHERE id = 1`,
    });
    expect(approved.output).toMatchObject({ rowsAffected: 1, schemas: [o] });
    expect(approved.metadata.approval).toMatchObject({ decision: "approved", by: "tester" });
    expect(seen[0]).toMatchObject({ summary: `UPDATE on ${o}.notes`, targets: [o], unlistedTargets: [o] });
    // Unlisted and denied.
    await expect(postgres.call("postgres_execute", { sql: `DELETE FROM ${o}.notes` })).rejects.toMatchObject({
      code: "permission_denied",
      details: { approval: "denied" },
    });
    expect(await count(other)).toBe(10);
    expect(postgres.previewApproval("postgres_execute", { sql: `DELETE FROM ${a}.notes` })).toMatchObject({
      required: false,
      targets: [a],
    });
    await other.admin.query(`UPDATE ${o}.notes SET n = 0`);
  });

  it("runs in one transaction: a failure part-way applies nothing and says so", async () => {
    const before = await fingerprint(app.admin, a);
    const postgres = connector({ allowWrites: true, schemas: [a] });
    const error = await refused(
      postgres.call("postgres_execute", {
        sql: `UPDATE ${a}.notes SET body = CASE WHEN id = 10 THEN '' ELSE 'rewritten' END`,
      }),
    );
    expect(error).toMatchObject({ code: "invalid_input", upstream: { code: "23514" }, notApplied: true });
    const timedOut = connector({ allowWrites: true, schemas: [a], statementTimeoutMs: 200 });
    const slow = await refused(
      timedOut.call("postgres_execute", {
        sql: `UPDATE ${a}.notes SET n = n + 1 WHERE pg_sleep(0.1) IS NOT NULL`,
      }),
    );
    expect(slow).toMatchObject({ code: "timeout", notApplied: true });
    expect(await fingerprint(app.admin, a)).toBe(before);
  });

  it("refuses several statements, schema changes, transaction control and denied functions", async () => {
    const before = await fingerprint(app.admin, a);
    const postgres = connector({ allowWrites: true, schemas: [a] });
    for (const sql of [
      `DELETE FROM ${a}.notes WHERE id = 1; DROP TABLE ${a}.notes`,
      `UPDATE ${a}.notes SET n = 1; COMMIT`,
      "COMMIT",
      `DROP TABLE ${a}.notes`,
      `CREATE TABLE ${a}.evil (x int)`,
      `TRUNCATE ${a}.notes`,
      `ALTER TABLE ${a}.notes ADD COLUMN evil int`,
      `GRANT ALL ON ${a}.notes TO PUBLIC`,
      `COPY ${a}.notes FROM '/etc/hostname'`,
      `DO $$ BEGIN DELETE FROM ${a}.notes; END $$`,
      `SELECT * FROM ${a}.notes`,
      `INSERT INTO ${a}.notes (id, body) SELECT 100, pg_read_file('/etc/hostname')`,
      `UPDATE ${a}.notes SET body = set_config('statement_timeout', '0', false)`,
    ]) {
      const error = await refused(postgres.call("postgres_execute", { sql }));
      expect({ sql, code: error.code, notApplied: error.notApplied }).toEqual({
        sql,
        code: "permission_denied",
        notApplied: true,
      });
    }
    expect(await fingerprint(app.admin, a)).toBe(before);
  });

  it("allows sequences in writes (nextval is only refused in reads)", async () => {
    await app.admin.query(`CREATE SEQUENCE IF NOT EXISTS ${a}.ids START 500`);
    const postgres = connector({ allowWrites: true, schemas: [a] });
    const { output } = await postgres.call("postgres_execute", {
      sql: `INSERT INTO ${a}.notes (id, body) VALUES (nextval('${a}.ids'), 'from a sequence') RETURNING id`,
    });
    expect(output.returning).toEqual([{ id: 500 }]);
    await app.admin.query(`DELETE FROM ${a}.notes WHERE id = 500; DROP SEQUENCE ${a}.ids`);
  });

  it("describes calls for approvals and the audit trail", () => {
    const postgres = connector({ allowWrites: true, schemas: ["sales"], defaultSchema: "sales" });
    const tool = postgres.tools.find((candidate) => candidate.name === "postgres_execute");
    expect(
      tool?.describeCall?.({ sql: "INSERT INTO orders VALUES (1)", params: [], returningLimit: 20 }),
    ).toEqual({
      summary: "INSERT on sales.orders",
      targets: ["sales"],
    });
    expect(tool?.describeCall?.({ sql: "garbage (", params: [], returningLimit: 20 })).toMatchObject({
      targets: ["(unparsed statement)"],
    });
    expect(uniqueName("x")).not.toBe(uniqueName("x"));
  });
});
