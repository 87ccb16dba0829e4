import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMcpHandler } from "@modelcontextprotocol/server";
import type { ConnectorInstance } from "@switchyard/core";
import { createServerFactory, type ServerFactoryOptions } from "../server/create-server-factory.js";
import { bearerGuard, hostGuard, isLoopbackHost, originGuard } from "./http-guards.js";
import { createLegacyCancellation } from "./legacy-cancellation.js";
import { nodeMcpListener } from "./node-adapter.js";

export interface HttpServeOptions extends ServerFactoryOptions {
  readonly connectors: readonly ConnectorInstance[];
  /** Default 127.0.0.1. Binding anywhere else requires `bearerToken`. */
  readonly host?: string;
  /** 0 picks a free port. Default 8808. */
  readonly port?: number;
  /** Required off loopback (SWITCHYARD_HTTP_TOKEN); compared in constant time. */
  readonly bearerToken?: string | undefined;
  /** Extra Host/Origin hostnames to accept (the name clients use behind a load balancer). */
  readonly allowedHosts?: readonly string[];
  /** Largest request body accepted. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** How long shutdown waits for calls in flight. Default 25 s. */
  readonly drainTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface RunningHttpServer {
  readonly url: string;
  readonly server: Server;
  /** Stops accepting requests, waits for calls in flight (bounded), then closes. */
  close(): Promise<void>;
}

export class InsecureBindError extends Error {
  override readonly name = "InsecureBindError";
}

/**
 * Streamable HTTP, stateless: every request gets a fresh McpServer from the factory, so any instance behind a
 * load balancer can answer any request. The SDK serves both 2026-07-28 and 2025-era clients from it. A call
 * is cancelled when its client closes the answer, or (2025-era clients) by a `notifications/cancelled` that
 * reaches the same process: see legacy-cancellation.ts.
 */
export async function serveHttp(options: HttpServeOptions): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopbackHost(host);
  if (!loopback && !options.bearerToken) {
    throw new InsecureBindError(
      `Refusing to listen on ${host} without a bearer token: set SWITCHYARD_HTTP_TOKEN (or bind 127.0.0.1).`,
    );
  }
  const log = options.log ?? (() => {});
  let inFlight = 0;
  let draining = false;
  const idleWaiters: (() => void)[] = [];
  const factory = createServerFactory(options);
  // Drain counts whole HTTP exchanges, not tool calls: a call's result is written after its handler returns.
  const trackExchange = (res: ServerResponse) => {
    inFlight += 1;
    res.once("close", () => {
      inFlight -= 1;
      if (inFlight === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    });
  };
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const handler = createMcpHandler(() => factory(), {
    onerror: (error) => log(`mcp: ${error.message}`),
    maxRequestBodySize: maxBodyBytes,
  });
  const listener = nodeMcpListener(handler, {
    maxBodyBytes,
    onerror: (error) => log(`http: ${error.message}`),
    // A call ends when its client closes the answer; 2025-era clients may also cancel it by notification.
    cancellation: createLegacyCancellation(),
  });

  const hostnames = [
    ...(loopback ? ["127.0.0.1", "localhost", "[::1]"] : [host]),
    ...(options.allowedHosts ?? []),
  ];
  const checkHost = hostGuard(hostnames);
  const checkOrigin = originGuard(hostnames);
  const checkToken = options.bearerToken ? bearerGuard(options.bearerToken) : () => true;

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz" && req.method === "GET") {
      res.writeHead(draining ? 503 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: draining ? "draining" : "ok", inFlight }));
      return;
    }
    if (!checkHost(req, res) || !checkOrigin(req, res)) return;
    if (path !== "/mcp") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "Not found: the MCP endpoint is /mcp." }));
      return;
    }
    if (draining) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "1", connection: "close" });
      res.end(JSON.stringify({ error: "Shutting down." }));
      return;
    }
    if (!checkToken(req, res)) return;
    if (req.method === "POST") trackExchange(res);
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBodyBytes) {
      res.writeHead(413, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ error: `Request body over ${maxBodyBytes} bytes.` }));
      return;
    }
    listener(req, res).catch((error: unknown) => {
      log(`http: ${(error as Error).message}`);
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "Internal error." }));
      }
    });
  });
  server.requestTimeout = 120_000;
  server.headersTimeout = 15_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8808, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}/mcp`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      server.close();
      if (inFlight > 0) {
        log(`draining ${inFlight} call(s) in flight`);
        await Promise.race([
          new Promise<void>((resolve) => idleWaiters.push(resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, options.drainTimeoutMs ?? 25_000).unref()),
        ]);
      }
      await handler.close();
      server.closeAllConnections();
      await Promise.all(options.connectors.map((connector) => connector.close()));
    })();
    return closing;
  };
  return { url, server, close };
}
