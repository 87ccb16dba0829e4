import type { BucketSpec, BucketSpecs } from "@switchyard/core";
import type { SlackHistoryProfile } from "./slack-settings.js";

/**
 * Slack limits every Web API method per app per workspace, in tiers: Tier 1 allows 1+ calls per minute,
 * Tier 2 20+, Tier 3 50+, Tier 4 100+. A few methods are "special" (chat.postMessage: about one message per
 * second per channel). Each method the tools call gets its own core bucket, named after the method, with a
 * per-minute reservoir for its tier; buckets are kept per credential (and per channel for chat.postMessage).
 */
export type SlackTier = 1 | 2 | 3 | 4;

export interface SlackReservoir {
  readonly amount: number;
  readonly intervalMs: number;
}

const MINUTE = 60_000;

/** The lower bound of each tier, per minute: the "+" is Slack's headroom, not ours to spend. */
export const SLACK_TIERS: Readonly<Record<SlackTier, SlackReservoir>> = {
  1: { amount: 1, intervalMs: MINUTE },
  2: { amount: 20, intervalMs: MINUTE },
  3: { amount: 50, intervalMs: MINUTE },
  4: { amount: 100, intervalMs: MINUTE },
};

/** The methods the connector calls and their tiers (https://docs.slack.dev/reference/methods). */
export const SLACK_METHOD_TIERS = {
  "conversations.list": 2,
  "conversations.history": 3,
  "conversations.replies": 3,
  "conversations.info": 3,
  "search.messages": 2,
  "users.info": 4,
  "users.list": 2,
  "users.lookupByEmail": 3,
  "reactions.add": 3,
  "chat.postMessage": "special",
  "auth.test": "special",
} as const satisfies Readonly<Record<string, SlackTier | "special">>;

export type SlackMethod = keyof typeof SLACK_METHOD_TIERS;

/**
 * Slack's 2025/2026 limits for commercially distributed apps outside the Marketplace: conversations.history and
 * conversations.replies allow one request per minute and return at most 15 items.
 */
export const NON_MARKETPLACE_HISTORY = { requestsPerMinute: 1, maxItems: 15 } as const;
const HISTORY_METHODS = ["conversations.history", "conversations.replies"] as const;

/** The largest page each list method is asked for (Slack's guidance is 100-200; search caps `count` at 100). */
export const SLACK_PAGE_SIZES = {
  "conversations.list": 200,
  "conversations.history": 200,
  "conversations.replies": 200,
  "search.messages": 100,
  "users.list": 200,
} as const;

/** chat.postMessage: about one message per second per channel (the bucket key is the channel). */
const POST_MESSAGE: BucketSpec = { maxConcurrent: 1, minTimeMs: 1000 };
/** Slack allows auth.test several hundred times a minute; doctor calls it once. */
const AUTH_TEST: BucketSpec = { maxConcurrent: 2 };
/** Ceiling of calls in flight per method and credential, whatever the tier allows per minute. */
const MAX_CONCURRENT = 8;

export interface SlackRateLimitOverrides {
  /** Replaces the per-minute reservoir of a tier (Enterprise Grid agreements, tests). */
  readonly tiers?: Partial<Record<SlackTier, SlackReservoir>> | undefined;
  /** Replaces one method's bucket entirely. */
  readonly methods?: Partial<Record<SlackMethod, BucketSpec>> | undefined;
}

/** How many items one conversations.history/replies request may return under the profile. */
export function historyItemCap(profile: SlackHistoryProfile): number | undefined {
  return profile === "non_marketplace" ? NON_MARKETPLACE_HISTORY.maxItems : undefined;
}

/** Core bucket specs for every method, from the tier table, the history profile and any overrides. */
export function slackBuckets(
  profile: SlackHistoryProfile = "standard",
  overrides: SlackRateLimitOverrides = {},
): BucketSpecs {
  const tiers = { ...SLACK_TIERS, ...overrides.tiers };
  const buckets: Record<string, BucketSpec> = {};
  for (const [method, tier] of Object.entries(SLACK_METHOD_TIERS)) {
    if (tier === "special") continue;
    const reservoir = tiers[tier];
    buckets[method] = { maxConcurrent: Math.min(MAX_CONCURRENT, reservoir.amount), reservoir };
  }
  buckets["chat.postMessage"] = POST_MESSAGE;
  buckets["auth.test"] = AUTH_TEST;
  if (profile === "non_marketplace") {
    for (const method of HISTORY_METHODS) {
      buckets[method] = {
        maxConcurrent: 1,
        reservoir: { amount: NON_MARKETPLACE_HISTORY.requestsPerMinute, intervalMs: MINUTE },
      };
    }
  }
  for (const [method, spec] of Object.entries(overrides.methods ?? {})) {
    if (spec) buckets[method] = spec;
  }
  return buckets;
}

/** The default buckets (standard profile, published tiers). */
export const SLACK_BUCKETS: BucketSpecs = slackBuckets();
