import type { IncomingMessage, ServerResponse } from "node:http";
import type { LegacyCancellation } from "./legacy-cancellation.js";

/** The web-standard face of the SDK's `createMcpHandler`. */
export interface FetchHandler {
  fetch(request: Request, options?: { parsedBody?: unknown }): Promise<Response>;
}

export interface NodeAdapterOptions {
  /** Largest request body read; a longer one is answered 413 and the connection closed. */
  readonly maxBodyBytes: number;
  readonly onerror: (error: Error) => void;
  /** Cancellation of calls in flight by a 2025-era client's `notifications/cancelled` (see legacy-cancellation.ts). */
  readonly cancellation?: LegacyCancellation;
}

const TOO_LARGE = Symbol("too large");

/** Reads the whole body, or stops at the first byte over `maxBytes`. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off("data", onData);
        req.pause();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

function isEventStream(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "text/event-stream";
}

function jsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  close = false,
): void {
  const body = JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...(close ? { connection: "close" } : {}),
  });
  res.end(body);
}

/**
 * Serves the SDK's web-standard MCP handler from `node:http`, doing less per request than the SDK's generic
 * `toNodeHandler`: the body is read once into a buffer and parsed here, then handed to the SDK as
 * `parsedBody`, so the SDK neither clones the request (a stream tee) nor reads and parses it again; a JSON
 * answer is written in one piece with its length instead of being pumped chunk by chunk through a web
 * stream. Anything unusual (a body that is not valid JSON, an SSE answer) takes the SDK's own path with the
 * same bytes, so its validation and error answers are unchanged.
 *
 * Cancellation: the request's signal aborts, and a streamed answer is cancelled, when the client goes away
 * before the answer is written (stateless, nothing could be delivered later anyway), and when a 2025-era
 * client's `notifications/cancelled` names the request (`options.cancellation`). Either way the SDK closes
 * the request's server instance, which aborts the tool call's signal: the connector sees `cancelled`.
 */
export function nodeMcpListener(
  handler: FetchHandler,
  options: NodeAdapterOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let finished = false;
    const abort = new AbortController();
    // The web Request handed to the SDK follows `abort` through an AbortController of its own, which only the
    // Request holds (weakly linked to `abort`), while the SDK may keep just the Request's signal. The close
    // listener keeps the Request until the exchange is over, so a garbage collection cannot cut that link and
    // leave a disconnect unable to reach the call.
    let request: Request | undefined;
    let forget: (() => void) | undefined;
    let closed = false;
    res.once("close", () => {
      closed = true;
      forget?.();
      if (!finished) abort.abort();
      request = undefined;
    });
    const method = (req.method ?? "GET").toUpperCase();
    let sessionId: string | undefined;
    let response: Response;
    try {
      let body: Buffer | undefined;
      let parsedBody: unknown;
      if (method !== "GET" && method !== "HEAD") {
        const read = await readBody(req, options.maxBodyBytes);
        if (read === TOO_LARGE) {
          finished = true;
          const message = `Payload Too Large: Request body must not exceed ${options.maxBodyBytes} bytes`;
          jsonRpcError(res, 413, -32000, message, true);
          return;
        }
        body = read;
        if (body.length > 0) {
          try {
            parsedBody = JSON.parse(body.toString("utf8"));
          } catch {
            // Not JSON (or not as Node reads it): the SDK reads these bytes itself and answers as it always does.
          }
        }
      }
      request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
        method,
        headers: webHeaders(req),
        signal: abort.signal,
        // The SDK reads no body when given `parsedBody`; otherwise it gets the bytes as they came.
        ...(body !== undefined && parsedBody === undefined ? { body } : {}),
      });
      const { cancellation } = options;
      if (cancellation && parsedBody !== undefined) {
        cancellation.cancel(req, parsedBody);
        sessionId = cancellation.sessionFor(parsedBody);
        if (!closed) {
          forget = cancellation.track(req, parsedBody, (reason) => {
            if (!finished) abort.abort(reason);
          });
        }
      }
      response = await handler.fetch(request, parsedBody === undefined ? undefined : { parsedBody });
    } catch (error) {
      options.onerror(error instanceof Error ? error : new Error(String(error)));
      finished = true;
      if (!res.headersSent) jsonRpcError(res, 500, -32603, "Internal server error");
      else res.end();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) headers[name] = value;
    if (sessionId !== undefined && response.status === 200 && headers["mcp-session-id"] === undefined) {
      headers["mcp-session-id"] = sessionId;
    }
    if (response.body === null || !isEventStream(response.headers.get("content-type"))) {
      const payload = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
      if (payload !== undefined) headers["content-length"] = String(payload.length);
      finished = true;
      res.writeHead(response.status, headers);
      res.end(payload);
      return;
    }
    // Server-sent events (progress notifications before the result): written as they come, with backpressure.
    res.writeHead(response.status, headers);
    let drained: (() => void) | undefined;
    res.on("drain", () => {
      drained?.();
      drained = undefined;
    });
    const reader = response.body.getReader();
    // An aborted exchange cancels the stream at once, even while waiting for its next event: for a 2025-era
    // call that closes the request's server instance (and so aborts the call) whatever the request's signal did.
    const aborted = new Promise<void>((resolve) => {
      const onAbort = () => {
        reader.cancel(abort.signal.reason).catch(() => {});
        resolve();
      };
      if (abort.signal.aborted) onAbort();
      else abort.signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || abort.signal.aborted) break;
        if (!res.write(value)) {
          await Promise.race([
            new Promise<void>((resolve) => {
              drained = resolve;
            }),
            aborted,
          ]);
        }
      }
    } catch {
      // The stream failed or was cancelled: end what was sent.
    }
    finished = true;
    res.end();
  };
}
