import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { type CallEvent, ConnectorError, type Credential, refreshingCredentials } from "../src/index.js";
import { fakeConnector, fakeUpstream } from "./support/fake-connector.js";

describe("connector pipeline", () => {
  it("validates input before anything reaches the upstream", async () => {
    const upstream = fakeUpstream(3);
    const connector = fakeConnector(upstream);
    const error = (await connector
      .call("fake_get_item", { id: -4 })
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe("invalid_input");
    expect(error.message).toContain("id");
    expect(error.hint).toBeTruthy();
    expect(error.details).toMatchObject({ fields: [{ path: "id" }] });
    expect(upstream.calls).toHaveLength(0);
    await expect(connector.call("fake_get_item", "not an object")).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(connector.call("fake_nope", {})).rejects.toMatchObject({ code: "invalid_input" });
    expect(upstream.calls).toHaveLength(0);
    await connector.close();
  });

  it("refuses write tools unless writes are allowed, without touching the upstream", async () => {
    const upstream = fakeUpstream(0);
    const readOnly = fakeConnector(upstream);
    expect(readOnly.enabledTools().map((tool) => tool.name)).not.toContain("fake_create_item");
    await expect(readOnly.call("fake_create_item", { title: "x" })).rejects.toMatchObject({
      code: "permission_denied",
      retryable: false,
    });
    expect(upstream.calls).toHaveLength(0);
    const writable = fakeConnector(upstream, { allowWrites: true });
    await expect(writable.call("fake_create_item", { title: "x" })).resolves.toMatchObject({
      output: { id: 1 },
    });
    expect(writable.describeTools().map((tool) => tool.name)).toContain("fake_create_item");
    await readOnly.close();
    await writable.close();
  });

  it("turns output that breaks the tool's own schema into an internal error", async () => {
    const connector = fakeConnector(fakeUpstream(0));
    await expect(connector.call("fake_bad_output", {})).rejects.toMatchObject({
      code: "internal",
      fault: "connector",
    });
    await connector.close();
  });

  it("retries retryable failures and reports attempts", async () => {
    const upstream = fakeUpstream(2);
    upstream.before = ({ attempt }) => {
      if (attempt < 3) throw new ConnectorError({ code: "upstream_unavailable", message: "503" });
    };
    const connector = fakeConnector(upstream);
    const result = await connector.call("fake_get_item", { id: 2 });
    expect(result.output).toEqual({ id: 2, title: "item 2" });
    expect(result.metadata.attempts).toBe(3);
    await connector.close();
  });

  it("ends a hanging upstream at the deadline with a timeout", async () => {
    const upstream = fakeUpstream(1);
    upstream.before = () => new Promise(() => {});
    const connector = fakeConnector(upstream);
    const error = (await connector
      .call("fake_get_item", { id: 1 }, { deadlineMs: 100 })
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe("timeout");
    expect(error.retryable).toBe(true);
    expect(error.tool).toBe("fake_get_item");
    await connector.close();
  });

  it("an upstream failure at the deadline itself is the timeout, even before the deadline's timer fires", async () => {
    // jira.js (axios) gets a socket timeout ending at the call's deadline; it can fire a moment before ours.
    let clock = 1_000_000;
    const upstream = fakeUpstream(1);
    upstream.before = () => {
      clock += 100;
      throw new ConnectorError({ code: "network", message: "timeout of 100ms exceeded" });
    };
    const connector = fakeConnector(upstream, { now: () => clock });
    const error = (await connector
      .call("fake_get_item", { id: 1 }, { deadlineMs: 100 })
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe("timeout");
    expect(upstream.calls).toHaveLength(1);
    await connector.close();
  });

  it("cancels on the caller's signal", async () => {
    const upstream = fakeUpstream(1);
    upstream.before = () => new Promise(() => {});
    const connector = fakeConnector(upstream);
    const controller = new AbortController();
    const pending = connector.call("fake_get_item", { id: 1 }, { signal: controller.signal });
    // Cancel once the upstream call is in flight, however long a loaded machine takes to get there.
    await expect.poll(() => upstream.calls.length, { timeout: 10_000 }).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "cancelled" });
    expect(upstream.calls).toHaveLength(1);
    await connector.close();
  });

  it("refreshes a rejected credential once per call, then fails with unauthenticated", async () => {
    let version = 0;
    const credentials = refreshingCredentials({
      description: "test",
      refresh: async (): Promise<Credential> => ({ value: `secret-token-${++version}` }),
    });
    const upstream = fakeUpstream(1);
    let accepted = "secret-token-2";
    upstream.before = ({ credential }) => {
      if (credential !== accepted)
        throw new ConnectorError({ code: "unauthenticated", message: "401", notApplied: true });
    };
    const connector = fakeConnector(upstream, { credentials });
    const result = await connector.call("fake_get_item", { id: 1 });
    expect(result.metadata.credentialRefreshed).toBe(true);
    expect(version).toBe(2);

    accepted = "never";
    const error = (await connector
      .call("fake_get_item", { id: 1 })
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe("unauthenticated");
    expect(version).toBe(3);
    await connector.close();
  });

  it("enforces tenant quotas and reports what is left", async () => {
    const connector = fakeConnector(fakeUpstream(1), { quota: { default: { calls: 2, windowMs: 60_000 } } });
    const first = await connector.call("fake_get_item", { id: 1 }, { tenant: "acme" });
    expect(first.metadata.quota).toMatchObject({ remaining: 1, limit: 2 });
    await connector.call("fake_get_item", { id: 1 }, { tenant: "acme" });
    const error = (await connector
      .call("fake_get_item", { id: 1 }, { tenant: "acme" })
      .catch((caught: unknown) => caught)) as ConnectorError;
    expect(error.code).toBe("quota_exhausted");
    expect(error.retryAfterMs).toBeGreaterThan(0);
    await expect(connector.call("fake_get_item", { id: 1 }, { tenant: "globex" })).resolves.toBeTruthy();
    await connector.close();
  });

  it("emits events and one span per call with the outcome", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const events: CallEvent[] = [];
    const connector = fakeConnector(fakeUpstream(1), {
      tracer: provider.getTracer("test"),
      onEvent: (event) => events.push(event),
    });
    await connector.call("fake_get_item", { id: 1 }, { tenant: "acme" });
    await connector.call("fake_get_item", { id: 99 }).catch(() => undefined);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    expect(spans[0]?.attributes).toMatchObject({
      "switchyard.connector": "fake",
      "switchyard.tool": "fake_get_item",
      "switchyard.tenant": "acme",
      "switchyard.outcome": "ok",
      "switchyard.attempts": 1,
    });
    expect(spans[1]?.attributes["switchyard.outcome"]).toBe("internal");
    expect(events.map((event) => event.type)).toEqual(["call.start", "call.end", "call.start", "call.end"]);
    const end = events[1] as Extract<CallEvent, { type: "call.end" }>;
    expect(end.outcome).toBe("ok");
    expect(end.metadata.attempts).toBe(1);
    await connector.close();
  });

  it("keeps working when an event listener throws", async () => {
    const connector = fakeConnector(fakeUpstream(1), {
      onEvent: () => {
        throw new Error("broken logger");
      },
    });
    await expect(connector.call("fake_get_item", { id: 1 })).resolves.toBeTruthy();
    await connector.close();
  });

  it("publishes stable, compact JSON schemas in name order", () => {
    const connector = fakeConnector(fakeUpstream(0), { allowWrites: true });
    const tools = connector.describeTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      "fake_bad_output",
      "fake_create_item",
      "fake_echo_text",
      "fake_get_item",
      "fake_list_items",
    ]);
    const list = tools.find((tool) => tool.name === "fake_list_items");
    expect(list?.inputSchema).not.toHaveProperty("$schema");
    expect(list?.inputSchema).toMatchObject({ type: "object", properties: { limit: { maximum: 100 } } });
    expect(list?.outputSchema).toMatchObject({
      properties: { items: { type: "array" }, truncated: { type: "boolean" } },
    });
    expect(list?.annotations.readOnly).toBe(true);
  });
});
