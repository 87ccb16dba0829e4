import { randomUUID } from "node:crypto";
import { type AuditRecord, type AuditSink, AuditTrail, matchesAuditFilter } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateAuditLog, PostgresAuditError, postgresAuditSink, queryPostgresAudit } from "../src/index.js";
import { DATABASE_URL, newPool, testSchema } from "./support/database.js";
import { approveAs, FAILURES, fakeConnector, type Mode } from "./support/fake-connector.js";

/** Keeps a copy of every record the trail hands to the sink: what the rows must equal. */
function tee(sink: AuditSink, seen: Map<string, AuditRecord>): AuditSink {
  return {
    name: sink.name,
    write: async (records) => {
      for (const record of records) seen.set(record.id, record);
      await sink.write(records);
    },
    close: () => sink.close?.() ?? Promise.resolve(),
  };
}

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    tenant: "acme",
    connector: "auditfake",
    tool: "auditfake_run",
    input: { mode: "ok" },
    outcome: "ok",
    attempts: 1,
    requestIds: [],
    durationMs: 1,
    ...overrides,
  };
}

describe("postgresAuditSink", () => {
  const db = testSchema("sy_audit_sink");
  const options = { schema: "" };
  const count = async () =>
    Number((await db.pool.query(`SELECT count(*) AS n FROM "${db.schema}".switchyard_audit_log`)).rows[0].n);

  beforeAll(async () => {
    options.schema = db.schema;
    await migrateAuditLog(db.pool, { schema: db.schema });
  });
  afterAll(async () => {
    await db.drop();
  });

  it("stores every outcome written through AuditTrail, and the rows read back equal the records", async () => {
    const written = new Map<string, AuditRecord>();
    const sink = postgresAuditSink({ connectionString: DATABASE_URL }, options);
    const trail = new AuditTrail({ sink: tee(sink, written), flushIntervalMs: 5 });
    // Each call starts in its own millisecond, so ordering by call time is unambiguous.
    const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 2));
    let calls = 0;
    const connector = fakeConnector(trail, (event) => {
      if (event.type === "call.start") calls += 1;
    });
    const modes: Mode[] = ["ok", ...(Object.keys(FAILURES) as Mode[])];
    for (const mode of modes) {
      await connector
        .call("auditfake_run", { mode, note: `run ${mode}` }, { tenant: "acme" })
        .catch(() => {});
      await nextMillisecond();
    }
    await connector.call("auditfake_run", { mode: "nope" }, { tenant: "globex" }).catch(() => {});
    await nextMillisecond();
    await connector.call(
      "auditfake_delete_item",
      { item: "a-1", reason: "cleanup" },
      { tenant: "globex", approve: approveAs("alice@example.com", true, "ticket 42") },
    );
    await nextMillisecond();
    await connector
      .call(
        "auditfake_delete_item",
        { item: "b-2", reason: "oops" },
        { tenant: "globex", approve: approveAs("bob@example.com", false, "not today") },
      )
      .catch(() => {});
    await nextMillisecond();
    await connector.call("auditfake_delete_item", { item: "c-3", reason: "nobody asked" }).catch(() => {});
    await trail.flush();
    await connector.close();
    await trail.close();

    expect(calls).toBe(11);
    expect(trail.stats()).toMatchObject({ buffered: 0, written: 11, dropped: 0, healthy: true });
    const rows = await queryPostgresAudit(db.pool, { limit: 1000 }, options);
    expect(rows.map((row) => [row.tool, row.outcome, row.approval?.decision ?? null])).toEqual([
      ["auditfake_run", "ok", "not_required"],
      ["auditfake_run", "not_found", "not_required"],
      ["auditfake_run", "conflict", "not_required"],
      ["auditfake_run", "unauthenticated", "not_required"],
      ["auditfake_run", "rate_limited", "not_required"],
      ["auditfake_run", "upstream_unavailable", "not_required"],
      ["auditfake_run", "internal", "not_required"],
      ["auditfake_run", "invalid_input", null],
      ["auditfake_delete_item", "ok", "approved"],
      ["auditfake_delete_item", "permission_denied", "denied"],
      ["auditfake_delete_item", "permission_denied", "unavailable"],
    ]);
    expect(rows).toHaveLength(written.size);
    for (const row of rows) expect(row).toEqual(written.get(row.id));
    expect(rows.find((row) => row.approval?.decision === "approved")?.approval).toEqual({
      policy: "always",
      decision: "approved",
      by: "alice@example.com",
      reason: "ticket 42",
    });
    expect(rows.filter((row) => row.outcome !== "ok").every((row) => row.errorMessage)).toBe(true);
    expect(rows.filter((row) => row.outcome === "ok").every((row) => !("errorMessage" in row))).toBe(true);

    // The query answers like matchesAuditFilter over the same records (newest `limit`, oldest first).
    const all = [...written.values()].sort((a, b) => a.at.localeCompare(b.at));
    for (const filter of [
      { tool: "auditfake_delete_*" },
      { tool: "auditfake_run", outcome: "ok" },
      { tenant: "globex" },
      { outcome: "permission_denied", limit: 1 },
      { since: new Date(all[5]!.at), limit: 3 },
      { tool: "auditfake%" },
    ]) {
      const expected = all.filter((entry) => matchesAuditFilter(entry, filter));
      const answer = await queryPostgresAudit(db.pool, filter, options);
      expect(answer.map((entry) => entry.id)).toEqual(
        expected.slice(-(filter.limit ?? 100)).map((entry) => entry.id),
      );
    }
  });

  it("never stores a batch twice: a retried batch and a repeated id are inserted once", async () => {
    const before = await count();
    const sink = postgresAuditSink({ pool: db.pool }, options);
    const batch = Array.from({ length: 50 }, (_, index) => record({ durationMs: index }));
    await sink.write(batch);
    await sink.write(batch); // the trail retrying after an ambiguous failure
    await sink.write([batch[0]!, batch[0]!, record()]);
    expect((await count()) - before).toBe(51);
    await sink.close();
  });

  it("stores what PostgreSQL would refuse instead of blocking the trail on a poison batch", async () => {
    const sink = postgresAuditSink({ pool: db.pool }, options);
    const odd = record({
      id: "not-a-uuid",
      tenant: "nul\u0000tenant",
      input: { text: "a\u0000b", lone: "x\uD800y", "k\u0000": 1n as unknown as number, when: new Date(0) },
      errorMessage: "bad\u0000byte",
      outcome: "internal",
      durationMs: 2.6,
      requestIds: ["r\u00001"],
    });
    await sink.write([odd]);
    await sink.write([odd]);
    const [stored] = await queryPostgresAudit(db.pool, { tenant: "nul\uFFFDtenant" }, options);
    expect(stored).toMatchObject({
      input: { text: "a\uFFFDb", lone: "x\uFFFDy", "k\uFFFD": "1", when: "1970-01-01T00:00:00.000Z" },
      errorMessage: "bad\uFFFDbyte",
      durationMs: 3,
      requestIds: ["r\uFFFD1"],
    });
    expect(stored?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await queryPostgresAudit(db.pool, { tenant: "nul\uFFFDtenant" }, options)).toHaveLength(1);
    await sink.close();
  });

  it("ends only the pool it opened, and throws redacted errors", async () => {
    const pool = newPool();
    const lent = postgresAuditSink({ pool }, options);
    await lent.close();
    expect(pool.ended).toBe(false);
    expect(pool.listenerCount("error")).toBe(1); // the test's own listener; the sink removed its one
    await pool.end();

    const owned = postgresAuditSink({ connectionString: DATABASE_URL }, options);
    await owned.write([record()]);
    await owned.close();
    expect(owned.pool.ended).toBe(true);
    await expect(owned.write([record()])).rejects.toThrow(PostgresAuditError);

    const missing = postgresAuditSink(
      { connectionString: DATABASE_URL.replace("//", "//postgres:pw-Secret-123456@") },
      { schema: options.schema, table: "no_such_table" },
    );
    const error = (await missing.write([record()]).catch((caught: unknown) => caught)) as PostgresAuditError;
    expect(error).toBeInstanceOf(PostgresAuditError);
    expect(error.code).toBe("42P01");
    expect(error.message).toMatch(/audit write to .*no_such_table failed: relation .* does not exist/);
    expect(missing.name).toBe(`postgres:${options.schema}.no_such_table`);
    await missing.close();
  });
});
