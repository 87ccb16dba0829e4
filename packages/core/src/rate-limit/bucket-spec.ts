/**
 * A rate-limit bucket as a connector declares it: plain data. Each bucket is kept per credential (and per
 * sub-key, such as a Slack channel), so one token's budget never slows another token down.
 */
export interface BucketSpec {
  /** Most calls in flight at once. Default: unlimited. */
  readonly maxConcurrent?: number;
  /** Least time between two call starts (GitHub asks one second between mutations). */
  readonly minTimeMs?: number;
  /** A call budget per interval (Slack tiers: 20 per minute). */
  readonly reservoir?: { readonly amount: number; readonly intervalMs: number };
  /**
   * When the upstream reports fewer than this share of its limit remaining, calls are spaced out so the
   * remainder lasts until the reset, instead of running into a 429. Default 0.1.
   */
  readonly paceBelowShare?: number;
}

export type BucketSpecs = Readonly<Record<string, BucketSpec>>;

/** What the upstream last said about a bucket's budget. */
export interface BucketBudget {
  readonly limit?: number | undefined;
  readonly remaining?: number | undefined;
  /** Epoch ms at which the budget refills. */
  readonly resetAt?: number | undefined;
}
