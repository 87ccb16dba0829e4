/**
 * Jira Cloud's three independent rate limits, any of which answers 429:
 *
 * - **burst**: requests per second per credential, endpoint and method (GET/POST 100, PUT/DELETE 50);
 * - **per-issue writes**: 20 writes per 2 s and 100 per 30 s on one issue;
 * - **points quota**: an hourly points budget (65,000 by default, reset at the top of each UTC hour) for OAuth
 *   (3LO) traffic; API-token traffic is not counted unless `quota.apiTokens` is set.
 */

export type RateLimitReason =
  | "jira-quota-global-based"
  | "jira-quota-tenant-based"
  | "jira-burst-based"
  | "jira-per-issue-on-write";

export type BurstMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface IssueWriteWindow {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface JiraRateLimitSettings {
  /** Requests per second per credential × endpoint × method. Default GET 100, POST 100, PUT 50, DELETE 50. */
  readonly burst?: Partial<Record<BurstMethod, number>>;
  /** Writes to one issue, every window must have room. Default 20 per 2 s and 100 per 30 s. */
  readonly issueWrites?: readonly IssueWriteWindow[];
  readonly quota?: {
    /** Points per UTC hour; default 65,000. */
    readonly pointsPerHour?: number;
    /** `global` (Tier 1, default) or `tenant` (Tier 2): only the `RateLimit-Reason` and policy name differ. */
    readonly tier?: "global" | "tenant";
    /** Count API-token (Basic) traffic too; default false, as Jira does. */
    readonly apiTokens?: boolean;
  };
}

export interface RateLimitRejection {
  readonly reason: RateLimitReason;
  readonly limit: number;
  readonly retryAfterSeconds: number;
  /** Epoch ms when the limit has room again. */
  readonly resetAt: number;
}

const DEFAULT_BURST: Record<BurstMethod, number> = { GET: 100, POST: 100, PUT: 50, DELETE: 50 };
const DEFAULT_ISSUE_WRITES: readonly IssueWriteWindow[] = [
  { limit: 20, windowSeconds: 2 },
  { limit: 100, windowSeconds: 30 },
];
const HOUR = 3_600_000;

/** `X-RateLimit-Reset` is an ISO 8601 timestamp (GitHub's is epoch seconds). */
export const isoInstant = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The headers of a 429, as Jira sends them. */
export function rejectionHeaders(rejection: RateLimitRejection): Record<string, string> {
  return {
    "retry-after": String(rejection.retryAfterSeconds),
    "ratelimit-reason": rejection.reason,
    "x-ratelimit-limit": String(rejection.limit),
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": isoInstant(rejection.resetAt),
  };
}

export class JiraRateLimits {
  readonly #now: () => number;
  #settings: JiraRateLimitSettings;
  #burst = new Map<string, { second: number; count: number }>();
  #issueWrites = new Map<string, number[]>();
  #quota = new Map<string, { hour: number; used: number }>();

  constructor(settings: JiraRateLimitSettings = {}, now: () => number = Date.now) {
    this.#settings = settings;
    this.#now = now;
  }

  get settings(): JiraRateLimitSettings {
    return this.#settings;
  }

  /** Replaces the settings (counters are kept). */
  configure(settings: JiraRateLimitSettings): void {
    this.#settings = settings;
  }

  /** Forgets every counter. */
  reset(): void {
    this.#burst.clear();
    this.#issueWrites.clear();
    this.#quota.clear();
  }

  /** Counts one request against its burst bucket; a rejection when the bucket is empty. */
  takeBurst(credential: string, method: string, endpoint: string): RateLimitRejection | undefined {
    const upper = method.toUpperCase() as BurstMethod;
    const limit = this.#settings.burst?.[upper] ?? DEFAULT_BURST[upper] ?? DEFAULT_BURST.GET;
    const now = this.#now();
    const second = Math.floor(now / 1000);
    const key = `${credential}\u0000${upper}\u0000${endpoint}`;
    let bucket = this.#burst.get(key);
    if (!bucket || bucket.second !== second) {
      bucket = { second, count: 0 };
      this.#burst.set(key, bucket);
    }
    if (bucket.count >= limit) {
      const resetAt = (second + 1) * 1000;
      return { reason: "jira-burst-based", limit, retryAfterSeconds: 1, resetAt };
    }
    bucket.count += 1;
    return undefined;
  }

  /** Counts one write to `issueId`; a rejection when any window is full (the write is then not counted). */
  takeIssueWrite(issueId: string): RateLimitRejection | undefined {
    const windows = this.#settings.issueWrites ?? DEFAULT_ISSUE_WRITES;
    const now = this.#now();
    const longest = Math.max(0, ...windows.map((window) => window.windowSeconds * 1000));
    const times = (this.#issueWrites.get(issueId) ?? []).filter((time) => time > now - longest);
    for (const window of windows) {
      const span = window.windowSeconds * 1000;
      const inWindow = times.filter((time) => time > now - span);
      if (inWindow.length >= window.limit) {
        const oldest = inWindow[inWindow.length - window.limit] ?? now;
        const resetAt = oldest + span;
        return {
          reason: "jira-per-issue-on-write",
          limit: window.limit,
          retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
          resetAt,
        };
      }
    }
    times.push(now);
    this.#issueWrites.set(issueId, times);
    return undefined;
  }

  /** Whether the points quota counts this kind of credential. */
  quotaApplies(kind: "basic" | "oauth"): boolean {
    return kind === "oauth" || this.#settings.quota?.apiTokens === true;
  }

  #quotaWindow(credential: string) {
    const hour = Math.floor(this.#now() / HOUR);
    let window = this.#quota.get(credential);
    if (!window || window.hour !== hour) {
      window = { hour, used: 0 };
      this.#quota.set(credential, window);
    }
    return window;
  }

  #quotaLimit(): number {
    return this.#settings.quota?.pointsPerHour ?? 65_000;
  }

  /** A rejection when the hour's points are spent: every request is refused until the top of the hour. */
  checkQuota(credential: string): RateLimitRejection | undefined {
    const window = this.#quotaWindow(credential);
    const limit = this.#quotaLimit();
    if (window.used < limit) return undefined;
    const resetAt = (window.hour + 1) * HOUR;
    return {
      reason: this.#settings.quota?.tier === "tenant" ? "jira-quota-tenant-based" : "jira-quota-global-based",
      limit,
      retryAfterSeconds: Math.max(1, Math.ceil((resetAt - this.#now()) / 1000)),
      resetAt,
    };
  }

  chargeQuota(credential: string, points: number): void {
    this.#quotaWindow(credential).used += points;
  }

  /** The quota headers of an answer: remaining points, near-limit flag and the IETF-draft policy headers. */
  quotaHeaders(credential: string): Record<string, string> {
    const window = this.#quotaWindow(credential);
    const limit = this.#quotaLimit();
    const remaining = Math.max(0, limit - window.used);
    const policy = this.#settings.quota?.tier === "tenant" ? "tenant-quota" : "global-app-quota";
    const secondsLeft = Math.max(0, Math.ceil(((window.hour + 1) * HOUR - this.#now()) / 1000));
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(remaining),
      ...(remaining < limit * 0.2 ? { "x-ratelimit-nearlimit": "true" } : {}),
      "ratelimit-policy": `"${policy}";q=${limit};w=3600`,
      ratelimit: `"${policy}";r=${remaining};t=${secondsLeft}`,
    };
  }

  /** Quota use per credential in the current hour, for the state summary. */
  quotaUsage(): Record<string, number> {
    const hour = Math.floor(this.#now() / HOUR);
    return Object.fromEntries(
      [...this.#quota]
        .filter(([, window]) => window.hour === hour)
        .map(([key, window]) => [key, window.used]),
    );
  }
}
