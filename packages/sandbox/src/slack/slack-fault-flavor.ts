import { type FaultFlavor, jsonFault, retryAfterHeader } from "../faults/fault-flavor.js";

/**
 * Slack's wording of failures. Slack limits only with HTTP 429 (`Retry-After` in seconds, body
 * `{ ok: false, error: "ratelimited" }`), so every rate-limit fault kind is a 429 whatever `status` says; an
 * expired credential is Slack's HTTP 200 `{ ok: false, error: "token_expired" }`; server errors are JSON
 * `internal_error` (500), `fatal_error` (502) or `service_unavailable` (503).
 */
export function slackFaultFlavor(now: () => number, nextRequestId: () => string): FaultFlavor {
  const ratelimited = (retryAfter: number | undefined) =>
    jsonFault(429, { ok: false, error: "ratelimited" }, retryAfterHeader(retryAfter));
  return {
    tooManyRequests: ratelimited,
    secondaryRateLimit: (_status, retryAfter) => ratelimited(retryAfter),
    primaryRateLimit: (_status, resetAt) => ratelimited(Math.max(1, resetAt - Math.floor(now() / 1000))),
    serverError: (status, retryAfter) =>
      jsonFault(
        status,
        {
          ok: false,
          error: status === 503 ? "service_unavailable" : status === 502 ? "fatal_error" : "internal_error",
        },
        retryAfterHeader(retryAfter),
      ),
    expiredCredential: () => jsonFault(200, { ok: false, error: "token_expired" }),
    commonHeaders: () => ({ "x-slack-req-id": nextRequestId() }),
  };
}
