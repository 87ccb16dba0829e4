/**
 * The bypass corpus against the connector with every layer on, logged in as a superuser (the worst case a
 * misconfigured deployment has): every attempt is refused with a typed error, and a fingerprint of the data,
 * the schema's objects, role settings, locks, large objects and collations proves nothing changed.
 */
import { existsSync } from "node:fs";
import { ConnectorError } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attemptSql,
  BYPASS_COPY_MARKER,
  BYPASS_CORPUS,
  BYPASS_PROGRAM_MARKER,
} from "./support/bypass-corpus.js";
import {
  closeConnectors,
  connector,
  createTestSchema,
  fingerprint,
  type TestSchema,
} from "./support/database.js";

let db: TestSchema;
let s: string;

beforeAll(async () => {
  db = await createTestSchema(
    "sy_bypass",
    `CREATE TABLE $schema.accounts (id int PRIMARY KEY, owner text NOT NULL, balance int NOT NULL);
     INSERT INTO $schema.accounts SELECT g, 'owner ' || g, g * 10 FROM generate_series(1, 50) g;
     CREATE SEQUENCE $schema.counter;
     CREATE FUNCTION $schema.sneaky_write() RETURNS int LANGUAGE sql VOLATILE AS
       'INSERT INTO ${"$schema"}.accounts VALUES (999, ''sneaky'', 0) RETURNING 1';
     CREATE PROCEDURE $schema.sneaky_proc() LANGUAGE sql AS
       'DELETE FROM ${"$schema"}.accounts';`,
  );
  s = db.name;
});

afterAll(async () => {
  await closeConnectors();
  await db.drop();
});

const ALLOWED_CODES = new Set(["permission_denied", "invalid_input"]);

describe("bypass corpus (every layer on)", () => {
  it(`has a few dozen published and derived attempts (${BYPASS_CORPUS.length})`, () => {
    expect(BYPASS_CORPUS.length).toBeGreaterThanOrEqual(90);
    expect(new Set(BYPASS_CORPUS.map((attempt) => attempt.sql)).size).toBe(BYPASS_CORPUS.length);
  });

  it("the fingerprint notices a real change (so an unchanged one means something)", async () => {
    const before = await fingerprint(db.admin, s);
    await db.admin.query(`UPDATE ${s}.accounts SET balance = balance + 1 WHERE id = 1`);
    expect(await fingerprint(db.admin, s)).not.toBe(before);
    await db.admin.query(`UPDATE ${s}.accounts SET balance = balance - 1 WHERE id = 1`);
    expect(await fingerprint(db.admin, s)).toBe(before);
  });

  it("postgres_query refuses every attempt with a typed error and nothing changes", async () => {
    const before = await fingerprint(db.admin, s);
    // One connection, so any session state an attempt left behind would meet the next attempt.
    const postgres = connector({ max: 1 });
    const outcomes: { sql: string; source: string; code: string; layer: unknown }[] = [];
    for (const attempt of BYPASS_CORPUS) {
      const sql = attemptSql(attempt, s, "accounts");
      try {
        const result = await postgres.call("postgres_query", { sql });
        outcomes.push({
          sql,
          source: attempt.source,
          code: "ACCEPTED",
          layer: JSON.stringify(result.output.items),
        });
      } catch (error) {
        expect(ConnectorError.isInstance(error)).toBe(true);
        const typed = error as ConnectorError;
        outcomes.push({
          sql,
          source: attempt.source,
          code: typed.code,
          layer: typed.details?.layer ?? typed.upstream?.code,
        });
      }
    }
    const accepted = outcomes.filter((outcome) => !ALLOWED_CODES.has(outcome.code));
    expect(accepted).toEqual([]);
    expect(await fingerprint(db.admin, s)).toBe(before);
    expect(existsSync(BYPASS_PROGRAM_MARKER)).toBe(false);
    expect(existsSync(BYPASS_COPY_MARKER)).toBe(false);
    // Which layer stopped what: most never reach the server; the VOLATILE writer is stopped by PostgreSQL.
    const byLayer = new Map<string, number>();
    for (const outcome of outcomes)
      byLayer.set(String(outcome.layer), (byLayer.get(String(outcome.layer)) ?? 0) + 1);
    expect(byLayer.get("sql-guard")).toBeGreaterThan(40);
    expect(byLayer.get("function-deny-list")).toBeGreaterThan(20);
    expect(byLayer.get("25006")).toBeGreaterThanOrEqual(3);

    // The connection that met every attempt is still a clean, read-only session.
    const state = await postgres.call("postgres_query", {
      sql: `SELECT current_setting('default_transaction_read_only') AS ro,
              current_setting('statement_timeout') AS timeout,
              (SELECT count(*)::int FROM pg_prepared_statements) AS prepared,
              (SELECT count(*)::int FROM pg_cursors WHERE is_holdable OR name = 'evil') AS cursors,
              (SELECT count(*)::int FROM pg_listening_channels()) AS listening,
              current_user::text AS who`,
    });
    expect(state.output.items).toEqual([
      {
        ro: "on",
        timeout: expect.stringMatching(/^\d+m?s$/),
        prepared: 0,
        cursors: 0,
        listening: 0,
        who: "postgres",
      },
    ]);
  });

  it("streamQuery refuses every attempt too", async () => {
    const before = await fingerprint(db.admin, s);
    const postgres = connector({ max: 1 });
    const accepted: string[] = [];
    for (const attempt of BYPASS_CORPUS) {
      const sql = attemptSql(attempt, s, "accounts");
      try {
        for await (const _row of postgres.streamQuery(sql)) {
          // draining
        }
        accepted.push(sql);
      } catch (error) {
        expect(ConnectorError.isInstance(error)).toBe(true);
        expect(ALLOWED_CODES.has((error as ConnectorError).code)).toBe(true);
      }
    }
    expect(accepted).toEqual([]);
    expect(await fingerprint(db.admin, s)).toBe(before);
  });

  it("postgres_explain plans writes but never runs them, and refuses everything that is not a plain statement", async () => {
    const before = await fingerprint(db.admin, s);
    const postgres = connector({ max: 1 });
    let planned = 0;
    for (const attempt of BYPASS_CORPUS) {
      const sql = attemptSql(attempt, s, "accounts");
      try {
        await postgres.call("postgres_explain", { sql });
        planned += 1;
      } catch (error) {
        expect(ConnectorError.isInstance(error)).toBe(true);
        expect(ALLOWED_CODES.has((error as ConnectorError).code)).toBe(true);
      }
    }
    // Plain INSERT/DELETE/MERGE/CTE-writes are planned (EXPLAIN without ANALYZE does not execute them).
    expect(planned).toBeGreaterThan(0);
    expect(await fingerprint(db.admin, s)).toBe(before);
  });
});
