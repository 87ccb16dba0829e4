import { Client, InMemoryTransport, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createMcpHandler } from "@modelcontextprotocol/server";
import { type AuditRecord, type AuditSink, AuditTrail } from "@switchyard/core";
import { afterEach, describe, expect, it } from "vitest";
import { createServerFactory } from "../src/index.js";
import { createFakeConnector } from "./support/fake-connector.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

function setup() {
  const records: AuditRecord[] = [];
  const sink: AuditSink = { name: "memory", write: async (batch) => void records.push(...batch) };
  const audit = new AuditTrail({ sink, flushIntervalMs: 1 });
  const fake = createFakeConnector({
    allowWrites: true,
    runtime: { approval: { policies: { fake_add_note: "always" } }, audit },
  });
  const factory = createServerFactory({ connectors: [fake.connector] });
  return { ...fake, factory, audit, records };
}

type Answer = { action: "accept"; content: { approve: boolean } } | { action: "decline" } | undefined;

async function modernClient(
  factory: () => ReturnType<ReturnType<typeof createServerFactory>>,
  answer: Answer,
) {
  const handler = createMcpHandler(() => factory());
  const client = new Client(
    { name: "approver", version: "1.0.0" },
    {
      versionNegotiation: { mode: "auto" },
      ...(answer ? { capabilities: { elicitation: { form: {} } } } : {}),
    },
  );
  const asked: string[] = [];
  if (answer) {
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(String(request.params.message));
      return answer;
    });
  }
  await client.connect(
    new StreamableHTTPClientTransport(new URL("http://test.local/mcp"), {
      fetch: (url, init) => handler.fetch(new Request(url, init)),
    }),
  );
  open.push({ close: () => handler.close() }, { close: () => client.close() });
  return { client, asked };
}

describe("approval through MCP elicitation", () => {
  it("asks the user, and writes only after they approve", async () => {
    const { factory, log, audit, records } = setup();
    const { client, asked } = await modernClient(factory, { action: "accept", content: { approve: true } });
    const result = await client.callTool({ name: "fake_add_note", arguments: { text: "ship it" } });
    expect(result.isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("Approve this action?");
    expect(log.calls).toEqual(["add"]);
    await audit.flush();
    expect(records.at(-1)?.approval).toEqual({
      policy: "always",
      decision: "approved",
      by: "mcp-elicitation",
    });
  });

  it("refuses when the user declines, and nothing is written", async () => {
    const { factory, log } = await Promise.resolve(setup());
    const { client } = await modernClient(factory, { action: "decline" });
    const result = await client.callTool({ name: "fake_add_note", arguments: { text: "ship it" } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({
      error: { code: "permission_denied", retryable: false },
    });
    expect(log.calls).toEqual([]);
  });

  it("refuses with a clear error when the client cannot be asked", async () => {
    const { factory, log } = setup();
    const { client } = await modernClient(factory, undefined);
    const result = await client.callTool({ name: "fake_add_note", arguments: { text: "ship it" } });
    expect(result.isError).toBe(true);
    const error = (result.structuredContent as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("permission_denied");
    expect(error.message).toContain("no approver is available");
    expect(log.calls).toEqual([]);
  });

  it("works on a 2025-era connection too (pushed elicitation)", async () => {
    const { factory, log } = setup();
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const server = factory();
    const client = new Client(
      { name: "legacy", version: "1.0.0" },
      { capabilities: { elicitation: { form: {} } } },
    );
    const asked: string[] = [];
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(String(request.params.message));
      return { action: "accept", content: { approve: true } };
    });
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    open.push({ close: () => client.close() });
    const result = await client.callTool({ name: "fake_add_note", arguments: { text: "legacy" } });
    expect(result.isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(log.calls).toEqual(["add"]);
  });
});
