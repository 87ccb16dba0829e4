/**
 * Reads a `Retry-After` value (delta seconds or an HTTP date) as milliseconds from `now`.
 * Returns undefined when absent or unreadable, so callers fall back to their own backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Reads an epoch-seconds reset header (GitHub's `x-ratelimit-reset`) as an absolute time in ms. */
export function parseEpochSecondsReset(value: string | null | undefined): number | undefined {
  if (value == null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

/** Reads an ISO 8601 reset header (Jira's `X-RateLimit-Reset`) as an absolute time in ms. */
export function parseIsoReset(value: string | null | undefined): number | undefined {
  if (value == null) return undefined;
  const date = Date.parse(value.trim());
  return Number.isNaN(date) ? undefined : date;
}
