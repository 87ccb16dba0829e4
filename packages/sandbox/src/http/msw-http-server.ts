import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { getResponse, type RequestHandler } from "msw";

/**
 * Serves MSW request handlers over real HTTP with `node:http`: every request becomes a web `Request`, runs
 * through msw's `getResponse(handlers, request)` (the same matching `setupServer` uses) and the `Response` is
 * written back, streaming its body. What a fault handler means by a broken response is made real on the wire:
 *
 * - `HttpResponse.error()` (a `Response` of type "error") resets the TCP connection: the client's fetch rejects.
 * - A body shorter than its `content-length`, or a body stream that errors, closes the socket mid-body: the
 *   client's body read fails.
 * - A client that goes away aborts `request.signal`, so a handler waiting for it (a "timeout" fault) ends.
 */

export type HandlerSource = readonly RequestHandler[] | (() => readonly RequestHandler[]);

export interface MswRequestListenerOptions {
  /** Answers requests no handler took; default a JSON 404 `{ message: "Not Found" }`. */
  readonly onUnhandled?: (request: Request) => Response | Promise<Response>;
  /** Largest request body read, in bytes; larger ones get 413. Default 10 MiB. */
  readonly maxBodyBytes?: number;
}

export type MswRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Request headers that describe the connection, not the message; a `Request` must not carry them. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "http2-settings",
]);

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

function handlersOf(source: HandlerSource): RequestHandler[] {
  return [...(typeof source === "function" ? source() : source)];
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Builds the web `Request` the handlers see: absolute URL on the host the client used, headers, body, signal. */
export function toWebRequest(req: IncomingMessage, body: Buffer | undefined, signal: AbortSignal): Request {
  const socket = req.socket;
  const fallbackHost = `${socket.localAddress?.includes(":") ? `[${socket.localAddress}]` : socket.localAddress}:${socket.localPort}`;
  const host =
    req.headers.host && /^[A-Za-z0-9.:[\]_-]+$/.test(req.headers.host) ? req.headers.host : fallbackHost;
  const url = new URL(req.url ?? "/", `http://${host}`);
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(name) || name.startsWith(":")) continue;
    headers.append(name, req.rawHeaders[i + 1] as string);
  }
  const method = (req.method ?? "GET").toUpperCase();
  const hasBody = method !== "GET" && method !== "HEAD" && body !== undefined && body.length > 0;
  return new Request(url, {
    method,
    headers,
    signal,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
}

/** Ends the connection abruptly (a TCP reset where the platform allows it). */
function resetSocket(socket: Socket | null): void {
  if (!socket || socket.destroyed) return;
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** Writes a web `Response` to a node response, streaming the body; breaks the connection where the response is broken. */
export async function writeWebResponse(
  response: Response,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (response.type === "error" || response.status === 0) {
    resetSocket(req.socket);
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue;
    headers[name] = value;
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const declared = response.headers.get("content-length");
  const declaredLength = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (req.method === "HEAD" || response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  let written = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel().catch(() => {});
        return;
      }
      written += value.byteLength;
      if (!res.write(value)) await waitForDrain(res);
    }
  } catch {
    // The body stream broke: the client must see the connection break mid-body, not a short "complete" body.
    resetSocket(req.socket);
    return;
  }
  if (declaredLength !== undefined && written < declaredLength) {
    // Fewer bytes than announced: flush what was written, then close the connection before the rest.
    req.socket.end();
    return;
  }
  res.end();
}

/** A `node:http` request listener that answers with `handlers` (an array, or a function read per request). */
export function createMswRequestListener(
  handlers: HandlerSource,
  options: MswRequestListenerOptions = {},
): MswRequestListener {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onUnhandled =
    options.onUnhandled ??
    ((request: Request) =>
      jsonResponse(404, {
        message: "Not Found",
        detail: `No sandbox route for ${request.method} ${new URL(request.url).pathname}`,
      }));

  return (req, res) => {
    const controller = new AbortController();
    // The client went away (or the socket was reset) before the response finished.
    res.on("close", () => {
      if (!res.writableFinished) controller.abort(new Error("The client closed the connection."));
    });
    void (async () => {
      let response: Response;
      try {
        const method = (req.method ?? "GET").toUpperCase();
        const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req, maxBodyBytes);
        const request = toWebRequest(req, body, controller.signal);
        response = (await getResponse(handlersOf(handlers), request)) ?? (await onUnhandled(request));
      } catch (error) {
        response =
          error instanceof BodyTooLarge
            ? jsonResponse(413, { message: "Request body too large" })
            : jsonResponse(500, {
                message: "Sandbox handler failed",
                detail: error instanceof Error ? error.message : String(error),
              });
      }
      if (res.destroyed || controller.signal.aborted) {
        await response.body?.cancel().catch(() => {});
        return;
      }
      await writeWebResponse(response, req, res);
    })().catch(() => resetSocket(req.socket));
  };
}

export interface ServeMswHandlersOptions extends MswRequestListenerOptions {
  readonly handlers: HandlerSource;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default 127.0.0.1; the sandbox is for loopback use only. */
  readonly host?: string;
}

export interface MswHttpServer {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** Stops listening and closes every connection (idle and active). */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0 by default) and serves `handlers` until `close()`. */
export async function serveMswHandlers(options: ServeMswHandlersOptions): Promise<MswHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer(createMswRequestListener(options.handlers, options));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
