import { AuditTrail } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateAuditLog, postgresAuditSink } from "../src/index.js";
import { DATABASE_URL, databaseTarget, testSchema, urlThrough } from "./support/database.js";
import { fakeConnector } from "./support/fake-connector.js";
import { TcpProxy } from "./support/tcp-proxy.js";

/** Put into the proxied connection string (trust auth ignores it): no error or status may carry it. */
const PASSWORD = "outage-pw-0a1b2c3d4e5f";

describe("sink outage: PostgreSQL unreachable, then back", () => {
  const db = testSchema("sy_audit_outage");
  let proxy: TcpProxy;

  beforeAll(async () => {
    await migrateAuditLog(db.pool, { schema: db.schema });
    proxy = await TcpProxy.reserve(databaseTarget());
  });
  afterAll(async () => {
    await proxy.stop();
    await db.drop();
  });

  it("buffers every record while the database is down and stores each exactly once when it returns", async () => {
    const statuses: { healthy: boolean; error?: string }[] = [];
    const sink = postgresAuditSink(
      { connectionString: urlThrough(proxy.port, PASSWORD) },
      { schema: db.schema, writeTimeoutMs: 5000 },
    );
    const trail = new AuditTrail({
      sink,
      flushIntervalMs: 5,
      batchSize: 25,
      onSinkStatus: (status) => statuses.push(status),
    });
    const callIds: string[] = [];
    const connector = fakeConnector(trail, (event) => {
      if (event.type === "call.end") callIds.push(event.callId);
    });
    const call = (index: number) =>
      connector
        .call("auditfake_run", { mode: index % 3 === 0 ? "not_found" : "ok", note: `call ${index}` })
        .catch(() => {});
    const stored = async () => {
      const result = await db.pool.query(
        `SELECT id::text AS id FROM "${db.schema}".switchyard_audit_log ORDER BY id`,
      );
      return result.rows.map((row) => row.id as string);
    };
    const drained = () =>
      vi.waitFor(
        async () => {
          await trail.flush();
          expect(trail.stats().buffered).toBe(0);
        },
        { timeout: 15_000, interval: 20 },
      );

    // 1. The proxy is not listening: every connect is refused. Nothing is lost, nothing is blocked.
    const N = 60;
    for (let index = 0; index < N; index += 1) await call(index);
    await trail.flush(); // at least one attempt has failed by now
    expect(trail.stats()).toMatchObject({ buffered: N, written: 0, healthy: false });
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({ healthy: false });
    expect(statuses[0]?.error).toMatch(/ECONNREFUSED/);
    await trail.flush(); // more failed retries: still reported once
    expect(statuses).toHaveLength(1);
    expect(await stored()).toEqual([]);

    // 2. The database comes back: the whole buffer arrives once.
    await proxy.start();
    await drained();
    expect(statuses.map((status) => status.healthy)).toEqual([false, true]);
    expect(await stored()).toEqual([...callIds].sort());

    // 3. Cut live connections mid-stream, keep calling while it is down, then bring it back.
    const M = 90;
    for (let index = 0; index < M; index += 1) {
      if (index === 20) {
        await trail.flush();
        expect(sink.pool.idleCount).toBeGreaterThan(0);
        await proxy.stop(); // the pool's idle connection is cut: the pool emits 'error', the sink's listener takes it
        await vi.waitFor(() => expect(sink.pool.totalCount).toBe(0), { timeout: 5000, interval: 10 });
      }
      if (index === 70) await proxy.start();
      await call(N + index);
      if (index === 40) await trail.flush(); // a write attempt while down: the second outage is noticed
    }
    await drained();
    await trail.close();
    await connector.close();

    const ids = await stored();
    expect(callIds).toHaveLength(N + M);
    expect(ids).toHaveLength(N + M);
    expect(new Set(ids).size).toBe(N + M);
    expect(ids).toEqual([...callIds].sort());
    expect(trail.stats()).toMatchObject({ buffered: 0, written: N + M, dropped: 0, healthy: true });
    expect(statuses.map((status) => status.healthy)).toEqual([false, true, false, true]);
    expect(proxy.connections).toBeGreaterThan(1);
    const reported = JSON.stringify(statuses);
    expect(reported).not.toContain(PASSWORD);
    expect(reported).not.toContain(DATABASE_URL);
  });
});
