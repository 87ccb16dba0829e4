import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AuditRecord,
  type AuditSink,
  AuditTrail,
  jsonLinesAuditSink,
  parseSince,
  queryJsonLinesAudit,
} from "../src/index.js";
import { fakeConnector, fakeUpstream } from "./support/fake-connector.js";

function record(index: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: `id-${index}`,
    at: new Date(Date.UTC(2026, 10, 21, 10, 0, index)).toISOString(),
    tenant: "acme",
    connector: "fake",
    tool: "fake_get_item",
    input: { id: index },
    outcome: "ok",
    attempts: 1,
    requestIds: [],
    durationMs: 3,
    ...overrides,
  };
}

describe("AuditTrail", () => {
  it("records every call through the pipeline, redacted, with outcome, attempts and approval", async () => {
    const dir = mkdtempSync(join(tmpdir(), "audit-"));
    const path = join(dir, "audit.jsonl");
    const trail = new AuditTrail({ sink: jsonLinesAuditSink({ path }), flushIntervalMs: 5 });
    const connector = fakeConnector(fakeUpstream(2), { audit: trail });
    await connector.call("fake_get_item", { id: 1 }, { tenant: "acme" });
    await connector.call("fake_get_item", { id: 99 }).catch(() => undefined);
    await connector.call("fake_echo_text", { text: "ghp_0123456789abcdefghijABCDEFGHIJ012345" });
    await connector.call("fake_create_item", { title: "x" }).catch(() => undefined);
    await connector.call("fake_get_item", { id: "bad" }).catch(() => undefined);
    await trail.flush();
    const records = await queryJsonLinesAudit(path);
    expect(records.map((entry) => [entry.tool, entry.outcome])).toEqual([
      ["fake_get_item", "ok"],
      ["fake_get_item", "internal"],
      ["fake_echo_text", "ok"],
      ["fake_create_item", "permission_denied"],
      ["fake_get_item", "invalid_input"],
    ]);
    expect(records[0]).toMatchObject({ tenant: "acme", attempts: 1, approval: { decision: "not_required" } });
    expect(readFileSync(path, "utf8")).not.toContain("ghp_0123456789abcdefghij");
    expect(await queryJsonLinesAudit(path, { tool: "fake_echo_*" })).toHaveLength(1);
    expect(await queryJsonLinesAudit(path, { outcome: "invalid_input" })).toHaveLength(1);
    await connector.close();
    await trail.close();
  });

  describe("with a failing sink (fake timers)", () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it("never blocks the caller, buffers through an outage, reports it once, and loses nothing", async () => {
      const stored: AuditRecord[] = [];
      let down = true;
      const sink: AuditSink = {
        name: "flaky",
        write: async (records) => {
          if (down) throw new Error("connection refused");
          stored.push(...records);
        },
      };
      const statuses: boolean[] = [];
      const trail = new AuditTrail({
        sink,
        flushIntervalMs: 10,
        onSinkStatus: (status) => statuses.push(status.healthy),
      });
      for (let index = 0; index < 500; index += 1) trail.record(record(index));
      await vi.advanceTimersByTimeAsync(5_000);
      expect(stored).toHaveLength(0);
      expect(trail.stats()).toMatchObject({ buffered: 500, healthy: false, lastError: "connection refused" });
      for (let index = 500; index < 600; index += 1) trail.record(record(index));
      down = false;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(stored.map((entry) => entry.id)).toEqual(
        Array.from({ length: 600 }, (_, index) => `id-${index}`),
      );
      expect(statuses).toEqual([false, true]);
      expect(trail.stats()).toMatchObject({ buffered: 0, written: 600, dropped: 0, healthy: true });
    });
  });

  it("parses --since as a duration or ISO time", () => {
    const now = Date.parse("2026-11-21T12:00:00Z");
    expect(parseSince("2h", now).toISOString()).toBe("2026-11-21T10:00:00.000Z");
    expect(parseSince("2026-11-20T00:00:00Z").toISOString()).toBe("2026-11-20T00:00:00.000Z");
    expect(() => parseSince("yesterday")).toThrow();
  });
});
