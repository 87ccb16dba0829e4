import type { IncomingMessage, ServerResponse } from "node:http";

/** The web-standard face of the SDK's `createMcpHandler`. */
export interface FetchHandler {
  fetch(request: Request, options?: { parsedBody?: unknown }): Promise<Response>;
}

export interface NodeAdapterOptions {
  /** Largest request body read; a longer one is answered 413 and the connection closed. */
  readonly maxBodyBytes: number;
  readonly onerror: (error: Error) => void;
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
 * same bytes, so its validation and error answers are unchanged. Cancellation is kept: the request's signal
 * aborts when the client goes away before the answer is written.
 */
export function nodeMcpListener(
  handler: FetchHandler,
  options: NodeAdapterOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    let finished = false;
    const abort = new AbortController();
    res.once("close", () => {
      if (!finished) abort.abort();
    });
    const method = (req.method ?? "GET").toUpperCase();
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
      const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
        method,
        headers: webHeaders(req),
        signal: abort.signal,
        // The SDK reads no body when given `parsedBody`; otherwise it gets the bytes as they came.
        ...(body !== undefined && parsedBody === undefined ? { body } : {}),
      });
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
    const closed = new Promise<void>((resolve) =>
      abort.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    try {
      for await (const chunk of response.body) {
        if (abort.signal.aborted) break;
        if (!res.write(chunk)) {
          await Promise.race([
            new Promise<void>((resolve) => {
              drained = resolve;
            }),
            closed,
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
