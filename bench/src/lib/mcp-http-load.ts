import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

export interface ToolCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

/** `count` MCP SDK clients on one Streamable HTTP endpoint, called round-robin. */
export async function sdkHttpCaller(
  url: string,
  count: number,
): Promise<{ call: (tool: ToolCall) => Promise<void>; close: () => Promise<void> }> {
  const clients = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const client = new Client(
        { name: `bench-http-${index}`, version: "1.0.0" },
        { versionNegotiation: { mode: "auto" } },
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      return client;
    }),
  );
  let next = 0;
  return {
    async call(tool) {
      const client = clients[next++ % clients.length] as Client;
      const result = await client.callTool(tool);
      if (result.isError) throw new Error(JSON.stringify(result.structuredContent));
    },
    close: async () => {
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}

const PROTOCOL = "2026-07-28";

/**
 * A minimal load generator: one JSON-RPC `tools/call` POST per call, the headers the 2026-07-28 stateless
 * transport requires, the JSON answer read and checked. It costs the client far less CPU than the SDK
 * (no schema validation of results), which leaves more of the 2 cores to the server being measured.
 */
export function rawHttpCaller(url: string): (tool: ToolCall) => Promise<void> {
  let id = 0;
  const meta = {
    "io.modelcontextprotocol/protocolVersion": PROTOCOL,
    "io.modelcontextprotocol/clientInfo": { name: "bench-raw", version: "1.0.0" },
    "io.modelcontextprotocol/clientCapabilities": {},
  };
  return async (tool) => {
    id += 1;
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": PROTOCOL,
        "mcp-method": "tools/call",
        "mcp-name": tool.name,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { ...tool, _meta: meta } }),
    });
    const body = (await response.json()) as { result?: { isError?: boolean }; error?: unknown };
    if (!response.ok || body.error || body.result?.isError)
      throw new Error(JSON.stringify(body).slice(0, 300));
  };
}
