import { type ClientRequest, request } from "node:http";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { ConnectorRuntimeOptions } from "@switchyard/core";
import { afterEach, describe, expect, it } from "vitest";
import { InsecureBindError, type RunningHttpServer, serveHttp } from "../src/index.js";
import { createLegacyCancellation } from "../src/transport/legacy-cancellation.js";
import { createFakeConnector } from "./support/fake-connector.js";

const running: RunningHttpServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

async function start(
  options: { bearerToken?: string; maxBodyBytes?: number } = {},
  runtime: ConnectorRuntimeOptions = {},
) {
  const fake = createFakeConnector({ runtime });
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

/** A 60 s deadline: a call aborted well before it was cancelled, not timed out. */
const LONG_DEADLINE: ConnectorRuntimeOptions = { deadlineMs: 60_000, maxDeadlineMs: 60_000 };

/**
 * A client of protocol 2025-11-25 (the SDK's legacy mode), the Mcp-Session-Id the server gave it, and the
 * JSON-RPC ids of its tools/call requests.
 */
async function connectLegacyClient(url: string, name: string) {
  const client = new Client({ name, version: "1.0.0" });
  let sessionId: string | undefined;
  const callIds: unknown[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: async (input, init) => {
      const sent = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
      if (sent?.method === "tools/call") callIds.push(sent.id);
      const response = await fetch(input, init);
      sessionId ??= response.headers.get("mcp-session-id") ?? undefined;
      return response;
    },
  });
  await client.connect(transport);
  expect(transport.protocolVersion).toBe("2025-11-25");
  return { client, sessionId: () => sessionId, callIds };
}

/** POSTs one 2025-era JSON-RPC message with the given extra headers; resolves with the status. */
async function postLegacy(url: string, message: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { ...mcpHeaders, "mcp-protocol-version": "2025-11-25", ...headers },
    body: JSON.stringify(message),
  });
  await response.body?.cancel();
  return response.status;
}

const cancelled = (requestId: number | string) => ({
  jsonrpc: "2.0",
  method: "notifications/cancelled",
  params: { requestId, reason: "stop" },
});

describe("cancellation from 2025-11-25 clients (stateless Streamable HTTP)", () => {
  it("a cancelled call is aborted at once, as cancelled, not at its deadline", async () => {
    const { server, log } = await start({}, LONG_DEADLINE);
    const { client, sessionId } = await connectLegacyClient(server.url, "legacy-cancel");
    // A random id per client (no session is kept): it is what tells this client's cancellations from others'.
    expect(sessionId()).toMatch(/^[0-9a-f-]{36}$/);
    const controller = new AbortController();
    const pending = client.callTool(
      { name: "fake_wait_slowly", arguments: {} },
      { signal: controller.signal, timeout: 60_000 },
    );
    await expect.poll(() => log.calls.includes("wait"), { timeout: 10_000 }).toBe(true);
    // The SDK client POSTs notifications/cancelled and leaves the call's event stream open.
    controller.abort("user pressed stop");
    await expect(pending).rejects.toThrow();
    await expect.poll(() => log.aborted, { timeout: 10_000 }).toEqual(["wait"]);
    // Cancelled: the 60 s deadline had nothing to do with it.
    expect(log.abortReasons).toMatchObject([{ code: "cancelled" }]);
    await client.close();
  });

  it("a client that closes the call's event stream cancels the call", async () => {
    const { server, log } = await start({}, LONG_DEADLINE);
    // The call's answer is an event stream whose first bytes may be a while coming: the client gives up first.
    const outgoing: ClientRequest = request(server.url, {
      method: "POST",
      headers: { ...mcpHeaders, "mcp-protocol-version": "2025-11-25" },
    });
    outgoing.on("error", () => {});
    outgoing.end(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 5,
        method: "tools/call",
        params: { name: "fake_wait_slowly", arguments: {} },
      }),
    );
    await expect.poll(() => log.calls.includes("wait"), { timeout: 10_000 }).toBe(true);
    outgoing.destroy();
    await expect.poll(() => log.aborted, { timeout: 10_000 }).toEqual(["wait"]);
    expect(log.abortReasons).toMatchObject([{ code: "cancelled" }]);
  });

  it("one client cannot cancel another's call, even with the same request id", async () => {
    const { server, log } = await start({}, LONG_DEADLINE);
    const a = await connectLegacyClient(server.url, "legacy-a");
    const b = await connectLegacyClient(server.url, "legacy-b");
    expect(a.sessionId()).not.toBe(b.sessionId());
    const pending = a.client.callTool({ name: "fake_wait_slowly", arguments: {} }, { timeout: 60_000 });
    await expect.poll(() => log.calls.includes("wait"), { timeout: 10_000 }).toBe(true);
    // SDK clients number their requests from the same start: b's first call would have a's call's id.
    const requestId = a.callIds[0] as number;
    expect(requestId).toBe(1);
    expect(
      await postLegacy(server.url, cancelled(requestId), { "mcp-session-id": b.sessionId() ?? "" }),
    ).toBe(202);
    expect(await postLegacy(server.url, cancelled(requestId))).toBe(202);
    expect(
      await postLegacy(server.url, cancelled(requestId), {
        "mcp-session-id": a.sessionId() ?? "",
        authorization: "Bearer someone-else",
      }),
    ).toBe(202);
    log.release?.();
    expect((await pending).structuredContent).toEqual({ done: true });
    expect(log.aborted).toEqual([]);
    await a.client.close();
    await b.client.close();
  });

  it("matches a cancellation to a call by session id, credential and request id only", () => {
    const cancellation = createLegacyCancellation();
    const req = (headers: Record<string, string>) => ({ headers }) as never;
    const call = { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "x", arguments: {} } };
    const reasons: Error[] = [];
    const forget = cancellation.track(
      req({ "mcp-session-id": "s-a", authorization: "Bearer t" }),
      call,
      (reason) => reasons.push(reason),
    );
    // Nothing is tracked for a client without a session id (2026-07-28 clients cancel by closing the stream).
    expect(cancellation.track(req({}), call, (reason) => reasons.push(reason))).toBeUndefined();
    expect(
      cancellation.cancel(req({ "mcp-session-id": "s-b", authorization: "Bearer t" }), cancelled(3)),
    ).toBe(0);
    expect(cancellation.cancel(req({ "mcp-session-id": "s-a" }), cancelled(3))).toBe(0);
    expect(
      cancellation.cancel(req({ "mcp-session-id": "s-a", authorization: "Bearer t" }), cancelled("3")),
    ).toBe(0);
    expect(reasons).toEqual([]);
    expect(
      cancellation.cancel(req({ "mcp-session-id": "s-a", authorization: "Bearer t" }), cancelled(3)),
    ).toBe(1);
    expect(reasons.map((reason) => reason.message)).toEqual(["The client cancelled request 3."]);
    forget?.();
    expect(
      cancellation.cancel(req({ "mcp-session-id": "s-a", authorization: "Bearer t" }), cancelled(3)),
    ).toBe(0);
    // Only 2025-era initialize answers get a session id.
    expect(cancellation.sessionFor({ jsonrpc: "2.0", id: 0, method: "initialize", params: {} })).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    expect(cancellation.sessionFor(call)).toBeUndefined();
  });
});
