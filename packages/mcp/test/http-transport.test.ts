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
function rawPost(url: string, headers: Record<string, string>, chunks: string[] = [initialize]) {
  return new Promise<number>((resolve, reject) => {
    rawExchange(url, headers, chunks).then(({ status }) => resolve(status), reject);
  });
}

/** One POST written as the given chunks (no Content-Length unless given: chunked), and the whole answer. */
function rawExchange(
  url: string,
  headers: Record<string, string>,
  chunks: string[],
): Promise<{ status: number; contentType: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: "POST", headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, contentType: response.headers["content-type"], body }),
      );
    });
    outgoing.on("error", reject);
    for (const chunk of chunks) outgoing.write(chunk);
    outgoing.end();
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

  it("limits a chunked body too, and answers a malformed body exactly as the SDK does", async () => {
    const { server } = await start({ maxBodyBytes: 2048 });
    const chunked = await rawExchange(server.url, mcpHeaders, ["x".repeat(1500), "y".repeat(1500)]);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: -32000 } });
    const malformed = await rawExchange(server.url, mcpHeaders, ["{nope"]);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 }, id: null });
    const wrongType = await rawExchange(server.url, { ...mcpHeaders, "content-type": "text/plain" }, [
      initialize,
    ]);
    expect(wrongType.status).toBe(415);
    // A 2025-era request still gets its answer as server-sent events, streamed.
    const ping = await rawExchange(server.url, mcpHeaders, ['{"jsonrpc":"2.0","id":7,"method":"ping"}']);
    expect(ping.status).toBe(200);
    expect(ping.contentType).toContain("text/event-stream");
    expect(ping.body).toContain('"id":7');
  });

  it("streams progress notifications on both protocol eras, and cancels the call when the client does", async () => {
    const { server, log } = await start();
    for (const mode of ["auto", "legacy"] as const) {
      const client = new Client(
        { name: `http-${mode}`, version: "1.0.0" },
        mode === "auto" ? { versionNegotiation: { mode: "auto" } } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      const progress: number[] = [];
      const page = await client.callTool(
        { name: "fake_list_notes", arguments: { limit: 25 } },
        { onprogress: (update) => progress.push(update.progress) },
      );
      expect((page.structuredContent as { items: unknown[] }).items).toHaveLength(25);
      expect(progress).toEqual([1, 2, 3]);
      await client.close();
    }
    const client = await connectClient(server.url);
    const controller = new AbortController();
    const pending = client.callTool(
      { name: "fake_wait_slowly", arguments: {} },
      { signal: controller.signal },
    );
    await expect.poll(() => log.calls.includes("wait"), { timeout: 10_000 }).toBe(true);
    controller.abort("user pressed stop");
    await expect(pending).rejects.toThrow();
    await expect.poll(() => log.aborted, { timeout: 10_000 }).toEqual(["wait"]);
    await client.close();
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
