import { type FaultFlavor, jsonFault, retryAfterHeader } from "../faults/fault-flavor.js";
import { isoInstant, type RateLimitReason } from "./jira-rate-limit.js";

/**
 * Jira's wording of failures. Jira signals every rate limit with **429** (never 403), so the fault kinds map
 * onto its three limits whatever `status` they carry:
 *
 * - `rate_limit_429` → a burst limit (`RateLimit-Reason: jira-burst-based`);
 * - `secondary_rate_limit` → the per-issue write limit (`jira-per-issue-on-write`);
 * - `primary_rate_limit` → the hourly points quota (`jira-quota-global-based`), reset at `resetAfterSeconds`.
 *
 * Each carries `Retry-After`, `X-RateLimit-Limit/Remaining` and an ISO 8601 `X-RateLimit-Reset`. Server errors
 * and expired credentials use the ErrorCollection body `{ errorMessages, errors }`.
 */
export function jiraFaultFlavor(nextRequestId: () => string, now: () => number): FaultFlavor {
  const limited = (
    reason: RateLimitReason,
    limit: number,
    retryAfter: number | undefined,
    resetAt?: number,
  ) => {
    const seconds = Math.max(1, Math.ceil(retryAfter ?? 1));
    return jsonFault(
      429,
      { errorMessages: ["Rate limit exceeded."], errors: {} },
      {
        "retry-after": String(seconds),
        "ratelimit-reason": reason,
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": isoInstant(resetAt ?? now() + seconds * 1000),
      },
    );
  };
  return {
    tooManyRequests: (retryAfter) => limited("jira-burst-based", 100, retryAfter),
    secondaryRateLimit: (_status, retryAfter) => limited("jira-per-issue-on-write", 20, retryAfter),
    primaryRateLimit: (_status, resetAt) =>
      limited("jira-quota-global-based", 65_000, resetAt - Math.floor(now() / 1000), resetAt * 1000),
    serverError: (status, retryAfter) =>
      jsonFault(
        status,
        {
          errorMessages: [
            status === 503
              ? "The service is temporarily unavailable. Please try again later."
              : "Internal server error",
          ],
          errors: {},
        },
        retryAfterHeader(retryAfter),
      ),
    expiredCredential: () =>
      jsonFault(
        401,
        { errorMessages: ["Client must be authenticated to access this resource."], errors: {} },
        { "www-authenticate": 'Basic realm="protected-area"' },
      ),
    commonHeaders: () => ({ "x-arequestid": nextRequestId() }),
  };
}
