import { ConnectorError } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapPostgresError, PoolTimeoutError } from "../src/index.js";
import { closeConnectors, connector, createTestSchema, type TestSchema } from "./support/database.js";

/** A DatabaseError as pg builds it (the fields the mapper reads). */
const dbError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`server said ${code}`), {
    name: "DatabaseError",
    severity: "ERROR",
    code,
    ...extra,
  });

describe("SQLSTATE mapping", () => {
  it.each([
    ["28P01", "unauthenticated", false, true],
    ["28000", "unauthenticated", false, true],
    ["42501", "permission_denied", false, false],
    ["42P01", "not_found", false, false],
    ["42703", "not_found", false, false],
    ["42601", "invalid_input", false, false],
    ["57014", "timeout", false, false],
    ["40001", "conflict", true, false],
    ["40P01", "conflict", true, false],
    ["55P03", "conflict", true, false],
    ["53300", "upstream_unavailable", true, true],
    ["08006", "network", true, false],
    ["08001", "network", true, false],
    ["57P01", "upstream_unavailable", true, false],
    ["57P02", "upstream_unavailable", true, false],
    ["57P03", "upstream_unavailable", true, true],
    ["25006", "permission_denied", false, false],
    ["22012", "invalid_input", false, false],
    ["23505", "conflict", false, false],
    ["23503", "invalid_input", false, false],
    ["XX000", "upstream_unavailable", false, false],
  ])("%s -> %s (retryable %s, notApplied %s)", (sqlstate, code, retryable, notApplied) => {
    const mapped = mapPostgresError(dbError(sqlstate));
    expect(mapped).toBeDefined();
    expect({ code: mapped?.code, retryable: mapped?.retryable, notApplied: mapped?.notApplied }).toEqual({
      code,
      retryable,
      notApplied,
    });
    expect(mapped?.upstream?.code).toBe(sqlstate);
    expect(mapped?.details?.sqlstate).toBe(sqlstate);
  });

  it("hints what to do next for missing tables and columns", () => {
    expect(mapPostgresError(dbError("42P01"))?.hint).toContain("postgres_list_tables");
    expect(mapPostgresError(dbError("42703"))?.hint).toContain("postgres_describe_table");
    expect(mapPostgresError(dbError("25006"))?.hint).toMatch(/read-only/);
  });

  it("shifts a syntax error's position back into the caller's statement", () => {
    const mapped = mapPostgresError(dbError("42601", { position: "25" }), {
      positionOffset: 16,
      statementLength: 30,
    });
    expect(mapped?.details?.position).toBe(9);
    expect(mapped?.message).toContain("at character 9");
  });

  it("a statement that failed inside a rolled-back transaction was not applied", () => {
    expect(mapPostgresError(dbError("40001"), { rolledBack: true })?.notApplied).toBe(true);
    expect(mapPostgresError(dbError("40P01"), { rolledBack: true })?.notApplied).toBe(true);
    expect(mapPostgresError(dbError("57P01"), { rolledBack: true })?.notApplied).toBe(true);
    expect(mapPostgresError(dbError("23505"), { rolledBack: true })?.notApplied).toBe(true);
  });

  it("a write's lost connection: not applied before COMMIT was sent, outcome unknown after", () => {
    const reset = () => Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const dropped = () => new Error("Connection terminated unexpectedly");
    for (const error of [reset(), dropped()]) {
      expect(mapPostgresError(error, { rolledBack: true })).toMatchObject({
        code: "network",
        retryable: true,
        notApplied: true,
        details: { outcome: "not_applied" },
      });
      const unknown = mapPostgresError(error, { outcomeUnknown: true });
      expect(unknown).toMatchObject({
        code: "network",
        retryable: false,
        notApplied: false,
        details: { outcome: "unknown" },
      });
      expect(unknown?.message).toMatch(/outcome of the write is unknown/);
    }
    // A FATAL that ended the session during COMMIT (it may have committed first): unknown too.
    expect(mapPostgresError(dbError("57P01", { severity: "FATAL" }), { outcomeUnknown: true })).toMatchObject(
      {
        code: "upstream_unavailable",
        retryable: false,
        notApplied: false,
        details: { outcome: "unknown", sqlstate: "57P01" },
      },
    );
    // A refused connection was never sent anything, whatever the context.
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(mapPostgresError(refused, { outcomeUnknown: true })).toMatchObject({ notApplied: true });
  });

  it("pool timeouts, socket errors and pg's code-less transport errors are typed too", () => {
    const pool = mapPostgresError(new PoolTimeoutError("timeout exceeded when trying to connect", 300));
    expect(pool).toMatchObject({ code: "upstream_unavailable", retryable: true, notApplied: true });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(mapPostgresError(refused)).toMatchObject({ code: "network", notApplied: true });
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    expect(mapPostgresError(reset)).toMatchObject({ code: "network", notApplied: false });
    expect(mapPostgresError(new Error("Connection terminated unexpectedly"))).toMatchObject({
      code: "network",
    });
    expect(mapPostgresError(new Error("timeout exceeded when trying to connect"))).toMatchObject({
      code: "upstream_unavailable",
    });
    expect(mapPostgresError(new Error("Query read timeout"))).toMatchObject({ code: "timeout" });
    expect(mapPostgresError(new Error("something else"))).toBeUndefined();
    const typed = new ConnectorError({ code: "cancelled", message: "x" });
    expect(mapPostgresError(typed)).toBe(typed);
  });
});

describe("errors from a real server", () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema("sy_errors", "CREATE TABLE $schema.things (id int PRIMARY KEY, name text);");
  });
  afterAll(async () => {
    await closeConnectors();
    await db.drop();
  });

  it("names missing tables and columns, with positions in the caller's SQL", async () => {
    const postgres = connector();
    await expect(
      postgres.call("postgres_query", { sql: `SELECT * FROM ${db.name}.nope` }),
    ).rejects.toMatchObject({
      code: "not_found",
      upstream: { code: "42P01" },
      details: { position: 15 },
    });
    await expect(
      postgres.call("postgres_query", { sql: `SELECT missing_column FROM ${db.name}.things` }),
    ).rejects.toMatchObject({ code: "not_found", upstream: { code: "42703" }, details: { position: 8 } });
    await expect(postgres.call("postgres_query", { sql: "SELECT 1/0" })).rejects.toMatchObject({
      code: "invalid_input",
      upstream: { code: "22012" },
    });
    await expect(postgres.call("postgres_query", { sql: "SELECT 1 FROM WHERE" })).rejects.toMatchObject({
      code: "invalid_input",
      details: { position: 15 },
    });
    await expect(
      postgres.call("postgres_query", { sql: "SELECT $1::int", params: ["x"] }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      upstream: { code: "22P02" },
    });
  });
});
