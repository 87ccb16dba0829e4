import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { AuditRecord } from "@switchyard/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyAuditRetention,
  migrateAuditLog,
  PostgresAuditError,
  postgresAuditSink,
  queryPostgresAudit,
} from "../src/index.js";
import { DATABASE_URL, testSchema, uniqueName } from "./support/database.js";

const run = promisify(execFile);
const DAY = 86_400_000;
const LEAST_PRIVILEGE_SQL = fileURLToPath(new URL("../sql/least-privilege.sql", import.meta.url));

function record(daysAgo: number, tool = "auditfake_run"): AuditRecord {
  return {
    id: randomUUID(),
    at: new Date(Date.now() - daysAgo * DAY).toISOString(),
    tenant: "acme",
    connector: "auditfake",
    tool,
    input: { daysAgo },
    outcome: "ok",
    attempts: 1,
    requestIds: [`req-${daysAgo}`],
    durationMs: 5,
  };
}

const psqlAvailable = await run("psql", ["--version"]).then(
  () => true,
  () => false,
);

describe("append-only table and retention", () => {
  const db = testSchema("sy_audit_ret");
  const table = () => `"${db.schema}".switchyard_audit_log`;
  const count = async () => Number((await db.pool.query(`SELECT count(*) AS n FROM ${table()}`)).rows[0].n);

  beforeAll(async () => {
    await migrateAuditLog(db.pool, { schema: db.schema });
    const sink = postgresAuditSink({ pool: db.pool }, { schema: db.schema });
    await sink.write([
      ...Array.from({ length: 25 }, (_, index) => record(40 + index)),
      ...Array.from({ length: 5 }, (_, index) => record(index)),
    ]);
  });
  afterAll(async () => {
    await db.drop();
  });

  it("refuses UPDATE, DELETE and TRUNCATE from plain SQL, even as the owner", async () => {
    for (const sql of [
      `UPDATE ${table()} SET outcome = 'internal'`,
      `DELETE FROM ${table()}`,
      `TRUNCATE ${table()}`,
    ]) {
      const error = await db.pool.query(sql).catch((caught: unknown) => caught);
      expect(error, sql).toMatchObject({ code: "42501" });
      expect((error as Error).message).toMatch(/is append-only: (UPDATE|DELETE|TRUNCATE) is not allowed/);
    }
    // The retention flag allows DELETE only.
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL switchyard.audit_retention = 'on'");
      await expect(client.query(`UPDATE ${table()} SET tool = 'x'`)).rejects.toMatchObject({ code: "42501" });
      await client.query("ROLLBACK");
      await client.query("BEGIN");
      await client.query("SET LOCAL switchyard.audit_retention = 'on'");
      await expect(client.query(`TRUNCATE ${table()}`)).rejects.toMatchObject({ code: "42501" });
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    // The flag is transaction-local: it does not linger on a pooled connection.
    await expect(db.pool.query(`DELETE FROM ${table()}`)).rejects.toMatchObject({ code: "42501" });
    expect(await count()).toBe(30);
  });

  it("deletes old records in bounded batches through the sanctioned path and keeps the rest", async () => {
    expect(await applyAuditRetention(db.pool, { schema: db.schema, olderThanDays: 30, batchSize: 7 })).toBe(
      25,
    );
    expect(await count()).toBe(5);
    const left = await queryPostgresAudit(db.pool, {}, { schema: db.schema });
    expect(left.map((entry) => entry.input)).toEqual([4, 3, 2, 1, 0].map((daysAgo) => ({ daysAgo })));
    expect(await applyAuditRetention(db.pool, { schema: db.schema, olderThanDays: 30 })).toBe(0);
    await expect(applyAuditRetention(db.pool, { schema: db.schema, olderThanDays: 0 })).rejects.toThrow(
      RangeError,
    );
    // Still append-only afterwards.
    await expect(db.pool.query(`DELETE FROM ${table()}`)).rejects.toMatchObject({ code: "42501" });
  });

  it.skipIf(!psqlAvailable)(
    "sql/least-privilege.sql gives a role INSERT and SELECT only: it can write and read, never change or delete",
    async () => {
      const role = uniqueName("sy_audit_writer");
      const login = uniqueName("sy_audit_app");
      await run("psql", [
        DATABASE_URL,
        "-X",
        "-q",
        "-v",
        `schema=${db.schema}`,
        "-v",
        `role=${role}`,
        "-f",
        LEAST_PRIVILEGE_SQL,
      ]);
      // Re-running it is harmless (the role exists already).
      await run("psql", [
        DATABASE_URL,
        "-X",
        "-q",
        "-v",
        `schema=${db.schema}`,
        "-v",
        `role=${role}`,
        "-f",
        LEAST_PRIVILEGE_SQL,
      ]);
      await db.pool.query(`CREATE ROLE "${login}" LOGIN IN ROLE "${role}"`);
      const url = new URL(DATABASE_URL);
      url.username = login;
      url.password = "";
      const app = new pg.Pool({ connectionString: url.toString(), max: 2 });
      app.on("error", () => {});
      try {
        const sink = postgresAuditSink({ pool: app }, { schema: db.schema });
        const written = record(100, "auditfake_as_writer");
        await sink.write([written]);
        await sink.write([written]);
        expect(await queryPostgresAudit(app, { tool: "auditfake_as_writer" }, { schema: db.schema })).toEqual(
          [written],
        );
        for (const sql of [
          `UPDATE ${table()} SET tool = 'x'`,
          `DELETE FROM ${table()}`,
          `TRUNCATE ${table()}`,
        ]) {
          await expect(app.query(sql), sql).rejects.toMatchObject({ code: "42501" });
        }
        // Setting the retention flag does not help a role without the DELETE grant.
        const error = await applyAuditRetention(app, { schema: db.schema, olderThanDays: 1 }).catch(
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(PostgresAuditError);
        expect(error).toMatchObject({ code: "42501" });
        expect((error as Error).message).toMatch(/permission denied/);
      } finally {
        await app.end();
        await db.pool.query(`DROP ROLE "${login}"`);
        await db.pool.query(`DROP OWNED BY "${role}"`);
        await db.pool.query(`DROP ROLE "${role}"`);
      }
    },
  );
});
