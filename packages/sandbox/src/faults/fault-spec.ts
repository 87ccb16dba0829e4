/**
 * What can go wrong, switchable per upstream. A fault applies to matching requests (optionally one route and
 * method) either every time, for the next `count` requests, or for a `fraction` of them (drawn from a seeded
 * generator, so a run is reproducible).
 */

export const FAULT_KINDS = [
  "rate_limit_429",
  "secondary_rate_limit",
  "primary_rate_limit",
  "server_error",
  "connection_reset",
  "timeout",
  "malformed_json",
  "truncated_body",
  "html_error",
  "expired_credential",
  "rate_profile",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which requests a fault applies to, and how often. */
export interface FaultScope {
  /** Apply to the next N matching requests, then remove the fault. Default: until cleared. */
  readonly count?: number;
  /** Apply to this share (0 < f <= 1) of matching requests. Default 1. */
  readonly fraction?: number;
  /**
   * Only requests whose path below the upstream's base matches: `/repos/:owner/:repo/issues`, `/search/*`.
   * `:name` is one segment, `*` the rest of the path. Default: every route.
   */
  readonly route?: string;
  /** Only this HTTP method (case-insensitive). Default: every method. */
  readonly method?: string;
}

export type FaultSpec = FaultScope &
  (
    | {
        /** 429 Too Many Requests, with `Retry-After` when `retryAfterSeconds` is set. */
        readonly kind: "rate_limit_429";
        readonly retryAfterSeconds?: number;
      }
    | {
        /** GitHub's secondary limit: 403 (or 429) "You have exceeded a secondary rate limit", optional Retry-After. */
        readonly kind: "secondary_rate_limit";
        readonly retryAfterSeconds?: number;
        readonly status?: 403 | 429;
      }
    | {
        /** Primary limit used up: 403 (or 429) with `x-ratelimit-remaining: 0` and a reset `resetAfterSeconds` ahead (default 60). */
        readonly kind: "primary_rate_limit";
        readonly resetAfterSeconds?: number;
        readonly status?: 403 | 429;
      }
    | {
        /** 500, 502 or 503 (default 500) with a JSON body; optional Retry-After. */
        readonly kind: "server_error";
        readonly status?: 500 | 502 | 503;
        readonly retryAfterSeconds?: number;
      }
    | {
        /** No response: the connection is reset (in-process, `HttpResponse.error()`). */
        readonly kind: "connection_reset";
      }
    | {
        /** Never answers; the request ends only when the client aborts it (or the fault is cleared). */
        readonly kind: "timeout";
      }
    | {
        /** 200 with `content-type: application/json` and a body that is not valid JSON. */
        readonly kind: "malformed_json";
      }
    | {
        /**
         * The real response, cut: `content-length` announces the whole body but only `keepFraction` (default
         * 0.5) is sent before the connection closes. The request itself is carried out.
         */
        readonly kind: "truncated_body";
        readonly keepFraction?: number;
      }
    | {
        /** A proxy's HTML error page (default 502). */
        readonly kind: "html_error";
        readonly status?: number;
      }
    | {
        /** 401 as for an expired or revoked credential. */
        readonly kind: "expired_credential";
      }
    | {
        /**
         * A throughput ceiling: up to `requestsPerSecond` matching requests per second (sliding window) pass,
         * the rest get 429 with `Retry-After` (whole seconds until a slot frees, at least 1).
         */
        readonly kind: "rate_profile";
        readonly requestsPerSecond: number;
      }
  );

/** An active fault as reported by `list()` and `GET /__sandbox/state`. */
export interface FaultStatus {
  readonly id: number;
  readonly spec: FaultSpec;
  /** Requests it has answered (for rate_profile: requests it refused). */
  readonly applied: number;
  /** Requests left before it is removed; null when it lasts until cleared. */
  readonly remaining: number | null;
}

export class FaultSpecError extends TypeError {
  override readonly name = "FaultSpecError";
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const ALLOWED_KEYS: Record<FaultKind, readonly string[]> = {
  rate_limit_429: ["retryAfterSeconds"],
  secondary_rate_limit: ["retryAfterSeconds", "status"],
  primary_rate_limit: ["resetAfterSeconds", "status"],
  server_error: ["status", "retryAfterSeconds"],
  connection_reset: [],
  timeout: [],
  malformed_json: [],
  truncated_body: ["keepFraction"],
  html_error: ["status"],
  expired_credential: [],
  rate_profile: ["requestsPerSecond"],
};
const SCOPE_KEYS = ["kind", "count", "fraction", "route", "method"];

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new FaultSpecError(message);
}

const isNonNegative = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0;

/**
 * Validates a fault from untrusted input (the HTTP control endpoint, or plain JavaScript) and returns it
 * typed. Unknown kinds and unknown or ill-typed fields are errors, never silently ignored.
 */
export function parseFaultSpec(input: unknown): FaultSpec {
  check(isRecord(input), "A fault is a JSON object with a `kind`.");
  const kind = input.kind;
  check(
    typeof kind === "string" && (FAULT_KINDS as readonly string[]).includes(kind),
    `Unknown fault kind ${JSON.stringify(kind)}; use one of ${FAULT_KINDS.join(", ")}.`,
  );
  const faultKind = kind as FaultKind;
  for (const key of Object.keys(input)) {
    check(
      SCOPE_KEYS.includes(key) || ALLOWED_KEYS[faultKind].includes(key),
      `Fault ${faultKind} has no field "${key}".`,
    );
  }
  const { count, fraction, route, method } = input;
  check(
    count === undefined || (Number.isInteger(count) && (count as number) >= 1),
    "`count` is a whole number >= 1.",
  );
  check(
    fraction === undefined ||
      (typeof fraction === "number" && Number.isFinite(fraction) && fraction > 0 && fraction <= 1),
    "`fraction` is a number in (0, 1].",
  );
  check(
    route === undefined || (typeof route === "string" && route.startsWith("/")),
    '`route` is a path starting with "/".',
  );
  check(
    method === undefined || (typeof method === "string" && /^[A-Za-z]+$/.test(method)),
    "`method` is an HTTP method.",
  );
  const { retryAfterSeconds, resetAfterSeconds, status, keepFraction, requestsPerSecond } = input;
  check(
    retryAfterSeconds === undefined || isNonNegative(retryAfterSeconds),
    "`retryAfterSeconds` is a number >= 0.",
  );
  check(
    resetAfterSeconds === undefined || isNonNegative(resetAfterSeconds),
    "`resetAfterSeconds` is a number >= 0.",
  );
  check(
    keepFraction === undefined ||
      (typeof keepFraction === "number" &&
        Number.isFinite(keepFraction) &&
        keepFraction >= 0 &&
        keepFraction < 1),
    "`keepFraction` is a number in [0, 1).",
  );
  if (faultKind === "rate_profile") {
    check(
      typeof requestsPerSecond === "number" && Number.isFinite(requestsPerSecond) && requestsPerSecond > 0,
      "`requestsPerSecond` is a number > 0.",
    );
  }
  if (status !== undefined) {
    const allowed: Partial<Record<FaultKind, readonly number[]>> = {
      secondary_rate_limit: [403, 429],
      primary_rate_limit: [403, 429],
      server_error: [500, 502, 503],
    };
    const statuses = allowed[faultKind];
    check(
      statuses
        ? statuses.includes(status as number)
        : Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599,
      statuses
        ? `\`status\` is one of ${statuses.join(", ")}.`
        : "`status` is an HTTP error status (400-599).",
    );
  }
  return { ...input } as unknown as FaultSpec;
}
