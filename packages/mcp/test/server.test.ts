import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createMcpHandler } from "@modelcontextprotocol/server";
import { afterEach, describe, expect, it } from "vitest";
import { createServerFactory, ToolSelectionError } from "../src/index.js";
import { createFakeConnector } from "./support/fake-connector.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function connect(options: { allowWrites?: boolean; tools?: string[] } = {}) {
  const fake = createFakeConnector({ allowWrites: options.allowWrites ?? false });
  const factory = createServerFactory({ connectors: [fake.connector], tools: options.tools ?? [] });
  const handler = createMcpHandler(() => factory());
  const client = new Client({ name: "test", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL("http://test.local/mcp"), {
      fetch: (url, init) => handler.fetch(new Request(url, init)),
    }),
  );
  open.push({ close: () => handler.close() }, { close: () => client.close() });
  return { client, ...fake };
}

describe("MCP server", () => {
  it("lists read tools only, in name order, with schemas and annotations", async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      "fake_get_limited",
      "fake_get_note",
      "fake_list_notes",
      "fake_wait_slowly",
    ]);
    const list = tools.find((tool) => tool.name === "fake_list_notes");
    expect(list?.inputSchema).toMatchObject({ type: "object", properties: { limit: { maximum: 100 } } });
    expect(list?.outputSchema).toMatchObject({ properties: { items: { type: "array" }, nextCursor: {} } });
    // MCP: destructiveHint and idempotentHint mean something only when readOnlyHint is false; the tool's
    // own title is not repeated in annotations.
    expect(list?.annotations).toEqual({ readOnlyHint: true, openWorldHint: true });
    expect(list?.title).toBeTruthy();
    expect(list?.description).toBe("Lists notes, 10 per upstream page.");
  });

  it("lists write tools only when writes are allowed", async () => {
    const { client } = await connect({ allowWrites: true });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("fake_add_note");
    const add = tools.find((tool) => tool.name === "fake_add_note");
    expect(add?.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
  });

  it("selects tools by name and glob, and fails loudly on a pattern that matches nothing", async () => {
    const { client } = await connect({ tools: ["fake_get_*", "fake_list_notes"] });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
      "fake_get_limited",
      "fake_get_note",
      "fake_list_notes",
    ]);
    const { connector } = createFakeConnector();
    expect(() => createServerFactory({ connectors: [connector], tools: ["github_*"] })).toThrow(
      ToolSelectionError,
    );
    expect(() => createServerFactory({ connectors: [connector], tools: ["fake_add_*"] })).toThrow(
      /--allow-writes/,
    );
  });

  it("returns structuredContent and a compact text rendering", async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: "fake_get_note", arguments: { id: 3 } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ id: 3, text: "note 3" });
    expect(result.content).toEqual([{ type: "text", text: '{"id":3,"text":"note 3"}' }]);
  });

  it("turns failures into isError results with a structured error, never a protocol error", async () => {
    const { client, log } = await connect();
    const missing = await client.callTool({ name: "fake_get_note", arguments: { id: 999 } });
    expect(missing.isError).toBe(true);
    expect(missing.structuredContent).toEqual({
      error: {
        code: "not_found",
        message: "No note 999.",
        retryable: false,
        hint: "List notes to find ids.",
      },
    });
    const invalid = await client.callTool({ name: "fake_get_note", arguments: { id: "three" } });
    expect(invalid.isError).toBe(true);
    expect((invalid.structuredContent as { error: { code: string } }).error.code).toBe("invalid_input");
    expect(log.calls.filter((call) => call.startsWith("get"))).toEqual(["get 999"]);
    const limited = await client.callTool({ name: "fake_get_limited", arguments: {} });
    expect(limited.structuredContent).toMatchObject({
      error: { code: "rate_limited", retryable: true, retryAfterMs: 3_600_000 },
    });
    expect((limited.content as { text: string }[])[0]?.text).toContain("Retry after 3600 s");
  });

  it("pages through a list with cursors and reports progress", async () => {
    const { client } = await connect();
    const progress: number[] = [];
    const first = await client.callTool(
      { name: "fake_list_notes", arguments: { limit: 25 } },
      { onprogress: (update) => progress.push(update.progress) },
    );
    const page = first.structuredContent as { items: { id: number }[]; nextCursor: string | null };
    expect(page.items.map((item) => item.id)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(progress).toEqual([1, 2, 3]);
    const second = await client.callTool({
      name: "fake_list_notes",
      arguments: { limit: 25, cursor: page.nextCursor },
    });
    const rest = second.structuredContent as { items: { id: number }[]; nextCursor: string | null };
    expect(rest.items.map((item) => item.id)).toEqual(Array.from({ length: 20 }, (_, index) => index + 26));
    expect(rest.nextCursor).toBeNull();
  });

  it("aborts the upstream call when the client cancels", async () => {
    const { client, log } = await connect();
    const controller = new AbortController();
    const pending = client.callTool(
      { name: "fake_wait_slowly", arguments: {} },
      { signal: controller.signal },
    );
    await expect.poll(() => log.calls.includes("wait"), { timeout: 10_000 }).toBe(true);
    controller.abort("user pressed stop");
    await expect(pending).rejects.toThrow();
    await expect.poll(() => log.aborted, { timeout: 10_000 }).toEqual(["wait"]);
  });
});
