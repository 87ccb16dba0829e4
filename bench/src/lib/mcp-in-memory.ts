import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { ConnectorInstance } from "@switchyard/core";
import { createServerFactory } from "@switchyard/mcp";

export type ListedTool = Awaited<ReturnType<Client["listTools"]>>["tools"][number];

/** tools/list exactly as an MCP client receives it from Switchyard's server (in memory, no transport cost). */
export async function mcpToolsList(connector: ConnectorInstance): Promise<ListedTool[]> {
  const server = createServerFactory({ connectors: [connector] })();
  const client = new Client({ name: "bench", version: "1.0.0" });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
    await server.close();
  }
}
