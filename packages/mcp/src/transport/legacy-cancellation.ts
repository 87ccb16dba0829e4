import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * `notifications/cancelled` from 2025-era clients over stateless Streamable HTTP.
 *
 * A 2025-era client (protocol 2025-11-25 and earlier) cancels a call by POSTing `notifications/cancelled`
 * naming the call's JSON-RPC id, and keeps the call's SSE stream open. Stateless, that POST gets a fresh server
 * instance that has never seen the call, so the SDK drops it, and the call ran on until its deadline. This
 * keeps, per process, the calls in flight of each client, and aborts the one a cancellation names.
 *
 * JSON-RPC ids are per client (every SDK client counts from the same start), so an id alone would let one
 * client cancel another's call. Clients are told apart by a random `Mcp-Session-Id` given to each 2025-era
 * client in its `initialize` answer, which the client then sends with every request (MCP requires it to); it
 * is not a session: nothing is stored for it and any instance serves any request with or without one. A call
 * is cancelled only by a notification carrying the same session id and the same Authorization header as the
 * call. A client that sends no session id cannot cancel this way (closing the stream still cancels), and a
 * cancellation that reaches another instance than its call does nothing.
 */
export interface LegacyCancellation {
  /** The `Mcp-Session-Id` to give a 2025-era client answering its `initialize`; undefined for anything else. */
  sessionFor(body: unknown): string | undefined;
  /**
   * Registers the request of one exchange (a single JSON-RPC request from a client with a session id) so a
   * later cancellation can abort it. Returns the function that forgets it, to call when the exchange ends.
   */
  track(req: IncomingMessage, body: unknown, abort: (reason: Error) => void): (() => void) | undefined;
  /** Aborts the calls in flight that a `notifications/cancelled` body names, of the same client only. */
  cancel(req: IncomingMessage, body: unknown): number;
}

type JsonRpcId = string | number;

interface JsonRpcLike {
  readonly jsonrpc?: unknown;
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: unknown;
}

function asMessage(body: unknown): JsonRpcLike | undefined {
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as JsonRpcLike)
    : undefined;
}

function isId(value: unknown): value is JsonRpcId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Who sent the request: its session id and its credential (hashed), or undefined without a session id. */
function clientOf(req: IncomingMessage): string | undefined {
  const session = header(req, "mcp-session-id");
  if (!session) return undefined;
  const authorization = header(req, "authorization");
  const principal = authorization ? createHash("sha256").update(authorization).digest("base64url") : "";
  return `${principal}\u0000${session}`;
}

const keyOf = (client: string, id: JsonRpcId) => `${client}\u0000${typeof id}:${id}`;

export class CancelledByClientError extends Error {
  override readonly name = "CancelledByClientError";
}

export function createLegacyCancellation(): LegacyCancellation {
  const inFlight = new Map<string, Set<(reason: Error) => void>>();
  return {
    sessionFor(body) {
      return asMessage(body)?.method === "initialize" && isId(asMessage(body)?.id) ? randomUUID() : undefined;
    },
    track(req, body, abort) {
      const message = asMessage(body);
      if (!message || typeof message.method !== "string" || !isId(message.id)) return undefined;
      const client = clientOf(req);
      if (!client) return undefined;
      const key = keyOf(client, message.id);
      let aborts = inFlight.get(key);
      if (!aborts) {
        aborts = new Set();
        inFlight.set(key, aborts);
      }
      aborts.add(abort);
      return () => {
        aborts.delete(abort);
        if (aborts.size === 0 && inFlight.get(key) === aborts) inFlight.delete(key);
      };
    },
    cancel(req, body) {
      const message = asMessage(body);
      if (message?.method !== "notifications/cancelled" || isId(message.id)) return 0;
      const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (!isId(requestId)) return 0;
      const client = clientOf(req);
      if (!client) return 0;
      const aborts = inFlight.get(keyOf(client, requestId));
      if (!aborts) return 0;
      const reason = new CancelledByClientError(`The client cancelled request ${JSON.stringify(requestId)}.`);
      const count = aborts.size;
      for (const abort of [...aborts]) abort(reason);
      return count;
    },
  };
}
