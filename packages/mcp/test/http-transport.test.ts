import { request } from "node:http";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { InsecureBindError, type RunningHttpServer, serveHttp } from "../src/index.js";
import { createFakeConnector } from "./support/fake-connector.js";

const running: RunningHttpServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

async function start(options: { bearerToken?: string; maxBodyBytes?: number } = {}) {
  const fake = createFakeConnector();
  const server = await serveHttp({ connectors: [fake.connector], port: 0, ...options });
  running.push(server);
  return { server, ...fake };
}

const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const mcpHeaders = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** fetch cannot set Host (a forbidden header), so the rebinding check is exercised with node:http. */
function rawPost(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: "POST", headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on("error", reject);
    outgoing.end(initialize);
  });
}

async function connectClient(url: string, headers: Record<string, string> = {}) {
  const client = new Client(
    { name: "http-test", version: "1.0.0" },
    { versionNegotiation: { mode: "auto" } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

describe("Streamable HTTP transport", () => {
  it("serves a real client over loopback, statelessly", async () => {
    const { server } = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connectClient(server.url);
    const result = await client.callTool({ name: "fake_get_note", arguments: { id: 2 } });
    expect(result.structuredContent).toEqual({ id: 2, text: "note 2" });
    // A second client is served by the same stateless endpoint.
    const other = await connectClient(server.url);
    expect((await other.listTools()).tools.length).toBe(4);
    await client.close();
    await other.close();
  });

  it("answers 403 to a foreign Host or Origin (DNS rebinding)", async () => {
    const { server } = await start();
    expect(await rawPost(server.url, { ...mcpHeaders, host: "evil.example" })).toBe(403);
    expect(await rawPost(server.url, { ...mcpHeaders, host: "evil.example:80" })).toBe(403);
    expect(await rawPost(server.url, { ...mcpHeaders, host: new URL(server.url).host })).toBe(200);
    const evilOrigin = await fetch(server.url, {
      method: "POST",
      headers: { ...mcpHeaders, origin: "https://evil.example" },
      body: initialize,
    });
    expect(evilOrigin.status).toBe(403);
    const localOrigin = await fetch(server.url, {
      method: "POST",
      headers: { ...mcpHeaders, origin: "http://localhost:3000" },
      body: initialize,
    });
    expect(localOrigin.status).toBe(200);
  });

  it("requires the bearer token when one is configured, and refuses to bind off loopback without one", async () => {
    const { server } = await start({ bearerToken: "s3cret-http-token" });
    const anonymous = await fetch(server.url, { method: "POST", headers: mcpHeaders, body: initialize });
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(server.url, {
      method: "POST",
      headers: { ...mcpHeaders, authorization: "Bearer nope" },
      body: initialize,
    });
    expect(wrong.status).toBe(401);
    const client = await connectClient(server.url, { authorization: "Bearer s3cret-http-token" });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
    const { connector } = createFakeConnector();
    await expect(serveHttp({ connectors: [connector], host: "0.0.0.0", port: 0 })).rejects.toBeInstanceOf(
      InsecureBindError,
    );
  });

  it("limits the request body and exposes /healthz", async () => {
    const { server } = await start({ maxBodyBytes: 2048 });
    const big = await fetch(server.url, { method: "POST", headers: mcpHeaders, body: "x".repeat(10_000) });
    expect(big.status).toBe(413);
    const health = await fetch(server.url.replace(/\/mcp$/, "/healthz"));
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", inFlight: 0 });
    const elsewhere = await fetch(server.url.replace(/\/mcp$/, "/other"), { headers: mcpHeaders });
    expect(elsewhere.status).toBe(404);
  });

  it("drains calls in flight on shutdown and refuses new ones", async () => {
    const { server, log } = await start();
    const client = await connectClient(server.url);
    const slow = client.callTool({ name: "fake_wait_slowly", arguments: {} });
    await expect.poll(() => log.calls.includes("wait"), { timeout: 10_000 }).toBe(true);
    const closing = server.close();
    const health = await fetch(server.url.replace(/\/mcp$/, "/healthz")).catch(() => undefined);
    if (health) expect(health.status).toBe(503);
    log.release?.();
    const result = await slow;
    expect(result.structuredContent).toEqual({ done: true });
    await closing;
    running.splice(0);
    await expect(
      fetch(server.url, { method: "POST", headers: mcpHeaders, body: initialize }),
    ).rejects.toThrow();
  });
});
