import { randomUUID } from "node:crypto";
import type { AuditRecord } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateAuditLog, postgresAuditSink, tailPostgresAudit } from "../src/index.js";
import { databaseNow, testSchema } from "./support/database.js";

function record(tool: string, index: number): AuditRecord {
  return {
    id: randomUUID(),
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
    tenant: index % 2 === 0 ? "even" : "odd",
    connector: "auditfake",
    tool,
    input: { index },
    outcome: "ok",
    attempts: 1,
    requestIds: [],
    durationMs: index,
  };
}

/** Collects `count` records from the iterator, then stops it. */
async function take(iterator: AsyncGenerator<AuditRecord>, count: number): Promise<AuditRecord[]> {
  const taken: AuditRecord[] = [];
  if (count === 0) return taken;
  for await (const entry of iterator) {
    taken.push(entry);
    if (taken.length === count) break;
  }
  return taken;
}

describe("tailPostgresAudit", () => {
  const db = testSchema("sy_audit_tail");
  const options = { schema: "" };
  const write = (records: AuditRecord[]) => postgresAuditSink({ pool: db.pool }, options).write(records);

  beforeAll(async () => {
    options.schema = db.schema;
    await migrateAuditLog(db.pool, options);
  });
  afterAll(async () => {
    await db.drop();
  });

  it("yields records as they are inserted, each once, in insertion order, through bounded pages", async () => {
    const since = await databaseNow(db.pool);
    const controller = new AbortController();
    const tail = tailPostgresAudit(db.pool, {
      ...options,
      signal: controller.signal,
      since,
      pollMs: 10,
      batchSize: 4,
    });
    const first = tail.next(); // polling (and finding nothing) while the batches are written
    const batches = [0, 1, 2].map((batch) =>
      Array.from({ length: 5 }, (_, index) => record("tail_new", batch * 5 + index)),
    );
    for (const batch of batches) await write(batch);
    const head = await first;
    const rest = await take(tail, 14);
    controller.abort();
    const seen = [head.value as AuditRecord, ...rest];
    expect(seen.map((entry) => entry.id).sort()).toEqual(
      batches
        .flat()
        .map((entry) => entry.id)
        .sort(),
    );
    // Batches come out in the order they were inserted.
    expect(seen.map((entry) => Math.floor((entry.input as { index: number }).index / 5))).toEqual([
      0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2,
    ]);
    expect(seen[0]).toEqual(batches[0]!.find((entry) => entry.id === seen[0]!.id));
  });

  it("starts from `since` across several bounded pages, and filters", async () => {
    const since = new Date(Date.now() - 60_000);
    const controller = new AbortController();
    const everything = await take(
      tailPostgresAudit(db.pool, { ...options, signal: controller.signal, since, pollMs: 10, batchSize: 3 }),
      15,
    );
    expect(new Set(everything.map((entry) => entry.id)).size).toBe(15);
    const odd = await take(
      tailPostgresAudit(db.pool, {
        ...options,
        signal: controller.signal,
        since,
        batchSize: 2,
        filter: { tool: "tail_*", tenant: "odd" },
      }),
      7,
    );
    expect(odd.every((entry) => entry.tenant === "odd")).toBe(true);
    controller.abort();
  });

  it("still yields a row whose transaction committed after later rows were read", async () => {
    const controller = new AbortController();
    const since = await databaseNow(db.pool);
    const tail = tailPostgresAudit(db.pool, { ...options, signal: controller.signal, since, pollMs: 10 });
    const pending = tail.next();

    const slow = await db.pool.connect();
    try {
      const late = record("tail_late", 100);
      const early = record("tail_early", 101);
      await slow.query("BEGIN");
      // inserted_at is the transaction's start: earlier than the row committed below.
      await slow.query(
        `INSERT INTO "${db.schema}".switchyard_audit_log (id, at, tenant, connector, tool, input, outcome, attempts, duration_ms)
         VALUES ($1, $2, 'odd', 'auditfake', 'tail_late', '{"index": 100}', 'ok', 1, 100)`,
        [late.id, late.at],
      );
      await write([early]);
      expect(((await pending).value as AuditRecord).id).toBe(early.id);
      await slow.query("COMMIT");
      const [next] = await take(tail, 1);
      expect(next?.id).toBe(late.id);
    } finally {
      slow.release();
      controller.abort();
    }
  });

  it("by default starts at the current end of the table: older rows are not yielded", async () => {
    const controller = new AbortController();
    const tail = tailPostgresAudit(db.pool, { ...options, signal: controller.signal, pollMs: 10 });
    const next = tail.next();
    // The tail takes its start position when it first runs: keep writing until it sees one.
    let index = 200;
    let done = false;
    const writer = (async () => {
      while (!done) {
        await write([record("tail_default", index++)]);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const first = (await next).value as AuditRecord;
    const [second] = await take(tail, 1);
    done = true;
    await writer;
    controller.abort();
    expect(first.tool).toBe("tail_default");
    expect(second?.tool).toBe("tail_default");
    expect((second!.input as { index: number }).index).toBeGreaterThan(
      (first.input as { index: number }).index,
    );
  });

  it("ends when the signal aborts, also while waiting", async () => {
    const controller = new AbortController();
    // The tail listens on the signal only while it waits between polls.
    const listening = vi.spyOn(controller.signal, "addEventListener");
    const tail = tailPostgresAudit(db.pool, { ...options, signal: controller.signal, pollMs: 60_000 });
    const next = tail.next();
    await expect
      .poll(() => listening.mock.calls.some(([type]) => type === "abort"), { timeout: 10_000 })
      .toBe(true);
    controller.abort();
    expect(await next).toEqual({ done: true, value: undefined });
    controller.abort();
    const aborted = tailPostgresAudit(db.pool, { ...options, signal: controller.signal });
    expect(await aborted.next()).toEqual({ done: true, value: undefined });
  });
});
