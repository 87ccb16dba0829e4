import type { BucketBudget, BucketSpecs } from "@switchyard/core";
import { parseIsoReset, parseRetryAfter } from "@switchyard/core";

/**
 * Client-side buckets, kept per credential. Write tools key their calls by issue (`rateLimit.key`), so the
 * write bucket's spacing applies per issue: Jira allows 20 writes per 2 s and 100 per 30 s on one issue,
 * which one write every 300 ms stays under. Burst limits (100 GET/POST, 50 PUT/DELETE per second per
 * endpoint) are far above what these concurrency caps produce.
 */
export const JIRA_BUCKETS: BucketSpecs = {
  read: { maxConcurrent: 10 },
  search: { maxConcurrent: 4 },
  write: { maxConcurrent: 1, minTimeMs: 300 },
};

export const JIRA_BUCKET_NAMES: readonly string[] = Object.keys(JIRA_BUCKETS);

/** The values of `RateLimit-Reason` Jira documents, and what each one slows down. */
export const RATE_LIMIT_REASONS = {
  "jira-quota-global-based": "credential",
  "jira-quota-tenant-based": "credential",
  "jira-burst-based": "endpoint",
  "jira-per-issue-on-write": "issue",
} as const;

export type RateLimitScope = "credential" | "endpoint" | "issue";

/** An unknown or missing reason slows the endpoint down: the middle ground between one issue and everything. */
export function scopeForReason(reason: string | undefined): RateLimitScope {
  return (reason && RATE_LIMIT_REASONS[reason as keyof typeof RATE_LIMIT_REASONS]) || "endpoint";
}

export type HeaderMap = Readonly<Record<string, string>>;

/**
 * Reads a header, falling back to the `Beta-` / `X-Beta-` form Jira sends while a limit is in beta
 * (`Beta-Retry-After`, `X-Beta-RateLimit-Reset`); both can appear together.
 */
export function rateHeader(headers: HeaderMap, name: string): string | undefined {
  const lower = name.toLowerCase();
  const beta = lower.startsWith("x-") ? `x-beta-${lower.slice(2)}` : `beta-${lower}`;
  return headers[lower] ?? headers[beta];
}

export interface JiraRateLimitInfo {
  readonly reason: string | undefined;
  readonly scope: RateLimitScope;
  /** From `Retry-After` (seconds or an HTTP date). */
  readonly retryAfterMs: number | undefined;
  /** From `X-RateLimit-Reset`: an ISO 8601 time, not epoch seconds. */
  readonly resetAt: number | undefined;
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
}

const toNumber = (value: string | undefined) => {
  if (value === undefined || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
};

/** `RateLimit: "global-app-quota";r=12;t=1800`: `t` is the seconds until the quota resets. */
function resetFromRateLimitHeader(value: string | undefined, now: number): number | undefined {
  const seconds = value ? /(?:^|;)\s*t=(\d+)/.exec(value)?.[1] : undefined;
  return seconds === undefined ? undefined : now + Number(seconds) * 1000;
}

/** Quotas reset at the top of each UTC hour. */
export function nextUtcHour(now: number): number {
  return (Math.floor(now / 3_600_000) + 1) * 3_600_000;
}

export function readRateLimit(headers: HeaderMap, now: number): JiraRateLimitInfo {
  const reason = rateHeader(headers, "RateLimit-Reason")?.trim() || undefined;
  return {
    reason,
    scope: scopeForReason(reason),
    retryAfterMs: parseRetryAfter(rateHeader(headers, "Retry-After"), now),
    resetAt:
      parseIsoReset(rateHeader(headers, "X-RateLimit-Reset")) ??
      resetFromRateLimitHeader(rateHeader(headers, "RateLimit"), now),
    limit: toNumber(rateHeader(headers, "X-RateLimit-Limit")),
    remaining: toNumber(rateHeader(headers, "X-RateLimit-Remaining")),
  };
}

/** Where an observation goes: a budget for one bucket, or undefined for the tool's own bucket. */
export interface RateObservation {
  readonly bucket: string | undefined;
  readonly budget: BucketBudget;
}

/**
 * What a response says about the credential's budget, as observations for core's limiter:
 * - a 429 `jira-quota-*` stops every bucket of the credential until `X-RateLimit-Reset`;
 * - a 429 `jira-burst-based` (or without a known reason) stops the tool's own bucket for `Retry-After`;
 * - a 429 `jira-per-issue-on-write` adds nothing here: core pauses the issue's own sub-key with the error's
 *   `retryAfterMs`, so writes to other issues go on;
 * - any other answer with `X-RateLimit-Remaining` paces every bucket, since the quota is the credential's.
 */
export function rateObservations(status: number, info: JiraRateLimitInfo, now: number): RateObservation[] {
  if (status === 429) {
    const until =
      info.scope === "credential"
        ? (info.resetAt ?? (info.retryAfterMs === undefined ? undefined : now + info.retryAfterMs))
        : info.retryAfterMs === undefined
          ? info.resetAt
          : now + info.retryAfterMs;
    if (until === undefined || until <= now) return [];
    const budget: BucketBudget = { limit: info.limit, remaining: 0, resetAt: until };
    if (info.scope === "credential") return JIRA_BUCKET_NAMES.map((bucket) => ({ bucket, budget }));
    if (info.scope === "endpoint") return [{ bucket: undefined, budget }];
    return [];
  }
  if (info.remaining === undefined) return [];
  const budget: BucketBudget = {
    limit: info.limit,
    remaining: info.remaining,
    resetAt: info.resetAt ?? nextUtcHour(now),
  };
  return JIRA_BUCKET_NAMES.map((bucket) => ({ bucket, budget }));
}
