import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ConnectorError } from "../errors/connector-error.js";

/** Where a list continues: a strategy position, items to skip in that page, and the pinned page size. */
export interface CursorState {
  readonly position: unknown;
  readonly skip: number;
  readonly pageSize: number;
}

interface CursorPayload {
  readonly v: 1;
  /** Tool name: a cursor of one tool is refused by every other. */
  readonly t: string;
  /** Hash of the query arguments: a cursor is refused for a different query. */
  readonly q: string;
  readonly p: unknown;
  readonly s: number;
  readonly z: number;
  /** Issued at, epoch seconds: old cursors expire. */
  readonly i: number;
}

export interface CursorBinding {
  readonly tool: string;
  readonly queryHash: string;
}

export interface CursorCodec {
  encode(binding: CursorBinding, state: CursorState): string;
  decode(cursor: string, binding: CursorBinding): CursorState;
}

export interface CursorCodecOptions {
  /** HMAC key. Give every process behind one load balancer the same key (SWITCHYARD_CURSOR_SECRET). */
  readonly secret?: string | Buffer | undefined;
  /** How long a cursor stays valid. Default one day. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

const SIGNATURE_BYTES = 16;
const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

function invalidCursor(reason: string): ConnectorError {
  return new ConnectorError({
    code: "invalid_input",
    message: `The cursor is not valid for this call: ${reason}.`,
    hint: "Pass nextCursor exactly as returned by the previous call of this same tool with the same arguments, or omit cursor to start over.",
    details: { field: "cursor" },
  });
}

/**
 * Opaque, signed cursors. The payload is readable base64url JSON (nothing secret goes in it) followed by an
 * HMAC-SHA256 tag, so a tampered cursor, or one replayed on another tool or query, is refused.
 */
export function createCursorCodec(options: CursorCodecOptions = {}): CursorCodec {
  const key = options.secret ? Buffer.from(options.secret) : randomBytes(32);
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const sign = (body: string) => createHmac("sha256", key).update(body).digest().subarray(0, SIGNATURE_BYTES);

  return {
    encode(binding, state) {
      const payload: CursorPayload = {
        v: 1,
        t: binding.tool,
        q: binding.queryHash,
        p: state.position,
        s: state.skip,
        z: state.pageSize,
        i: Math.floor(now() / 1000),
      };
      const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
      return `${body}.${sign(body).toString("base64url")}`;
    },
    decode(cursor, binding) {
      const [body, tag, extra] = cursor.split(".");
      if (!body || !tag || extra !== undefined) throw invalidCursor("it is malformed");
      const expected = sign(body);
      const given = Buffer.from(tag, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw invalidCursor("its signature does not match (it was changed or issued by another deployment)");
      }
      let payload: CursorPayload;
      try {
        payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as CursorPayload;
      } catch {
        throw invalidCursor("it is malformed");
      }
      if (payload.v !== 1) throw invalidCursor("it comes from an incompatible version");
      if (payload.t !== binding.tool) throw invalidCursor(`it belongs to the tool ${payload.t}`);
      if (payload.q !== binding.queryHash) throw invalidCursor("it belongs to a different query");
      if (now() - payload.i * 1000 > maxAgeMs) throw invalidCursor("it has expired");
      if (!Number.isInteger(payload.s) || payload.s < 0 || !Number.isInteger(payload.z) || payload.z < 1) {
        throw invalidCursor("it is malformed");
      }
      return { position: payload.p, skip: payload.s, pageSize: payload.z };
    },
  };
}

/** Key order must not matter: `{a,b}` and `{b,a}` are the same query. */
function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableStringify(entry)}`).join(",")}}`;
}

/** Hash of the arguments that define a query: everything but `cursor` and `limit`. */
export function hashQuery(input: unknown): string {
  const rest =
    input && typeof input === "object" && !Array.isArray(input)
      ? Object.fromEntries(Object.entries(input).filter(([key]) => key !== "cursor" && key !== "limit"))
      : input;
  return createHash("sha256").update(stableStringify(rest)).digest("base64url").slice(0, 22);
}
