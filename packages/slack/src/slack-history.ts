import { z } from "zod";
import type { SlackContext } from "./slack-client.js";
import { historyItemCap, NON_MARKETPLACE_HISTORY } from "./slack-rate-limits.js";

/** What history and thread tools add to a message list: the channel, and why fewer items may come back. */
export const conversationExtras = {
  channel: z.object({ id: z.string(), name: z.string().nullable() }),
  note: z
    .string()
    .nullable()
    .describe("Set when Slack's limits for this app shrank the request (limit clamped)."),
};

/**
 * Under the non-Marketplace profile Slack serves at most 15 items per conversations.history/replies request
 * and one request a minute: the limit is clamped, and the output says so.
 */
export function clampHistoryLimit(ctx: SlackContext, limit: number, method: string) {
  const cap = historyItemCap(ctx.client.historyProfile);
  if (cap === undefined || limit <= cap) return { limit, maxPageSize: 200, note: null };
  return {
    limit: cap,
    maxPageSize: cap,
    note: `limit clamped from ${limit} to ${cap}: this Slack app is not in the Marketplace, so Slack allows ${method} ${NON_MARKETPLACE_HISTORY.requestsPerMinute} request per minute and ${cap} items per request. Continue with nextCursor (about a minute apart).`,
  };
}

/**
 * Under the non-Marketplace profile, tells core's limiter that the method's one request of the minute is spent.
 * The bucket's reservoir alone would hold the next call until its deadline and end it with `timeout`; a spent
 * budget (a gate) makes core wait only when the wait fits the deadline, and otherwise fail at once with
 * `rate_limited` and `retryAfterMs`.
 */
export function spendHistoryBudget(
  ctx: SlackContext,
  method: "conversations.history" | "conversations.replies",
): void {
  if (historyItemCap(ctx.client.historyProfile) === undefined) return;
  ctx.observeRateLimit(
    { limit: NON_MARKETPLACE_HISTORY.requestsPerMinute, remaining: 0, resetAt: ctx.client.now() + 60_000 },
    method,
  );
}
