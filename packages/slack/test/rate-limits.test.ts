import type { CallEvent } from "@switchyard/core";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { connector, failure, fixture, method, ok, slackError, slackHeaders } from "./helpers.js";
import { server } from "./msw-server.js";

const listInput = {};

describe("tier buckets", () => {
  it("a burst over the tier's reservoir is held client-side: every call succeeds and Slack never says 429", async () => {
    // Tier 2 scaled down to 3 calls per 300 ms. Core keeps that as a sliding window on the calls' start times,
    // so any 4 starts span at least 300 ms. The fake Slack allows 3 per sliding 100 ms and 429s beyond: a burst
    // the client did not hold (9 requests together) is refused, while a held one has 200 ms of margin for the
    // time a request takes from its start to the server on a loaded machine.
    const windowMs = 100;
    const starts: number[] = [];
    let rejected = 0;
    server.use(
      method("conversations.list", () => {
        const now = Date.now();
        const recent = starts.filter((time) => now - time < windowMs);
        if (recent.length >= 3) {
          rejected += 1;
          return new HttpResponse(null, { status: 429, headers: slackHeaders({ "retry-after": "1" }) });
        }
        starts.push(now);
        return ok({ channels: [], response_metadata: { next_cursor: "" } });
      }),
    );
    const slack = connector({ rateLimits: { tiers: { 2: { amount: 3, intervalMs: 300 } } } });
    const began = Date.now();
    const results = await Promise.all(
      Array.from({ length: 9 }, () => slack.call("slack_list_channels", listInput)),
    );
    expect(rejected).toBe(0);
    expect(starts).toHaveLength(9);
    expect(results.every((result) => result.metadata.attempts === 1)).toBe(true);
    // Three waves: the 7th start cannot come before two full windows after the 1st, however late timers fire.
    // Slack never refused anything, so that time was spent waiting client-side.
    expect(Date.now() - began).toBeGreaterThanOrEqual(600);
    const waits = results.map((result) => result.metadata.rateLimitWaitMs);
    expect(waits.filter((waited) => waited > 0).length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(300);
    expect(results[0]?.metadata.rateLimit?.bucket).toBe("conversations.list");
  });

  it("a 429 with Retry-After pauses the method's bucket: the call retries after it, and others wait too", async () => {
    const times: number[] = [];
    server.use(
      method("users.info", () => {
        times.push(Date.now());
        return times.length === 1
          ? new HttpResponse(null, { status: 429, headers: slackHeaders({ "retry-after": "1" }) })
          : ok(fixture("users-info"));
      }),
    );
    const events: CallEvent[] = [];
    const slack = connector({ onEvent: (event) => events.push(event) });
    const first = slack.call("slack_get_user", { user: "U0ANA00001" });
    // Wait until the first call has seen its 429 and scheduled its retry (the pause is set by then).
    await expect
      .poll(() => events.some((event) => event.type === "call.retry"), { timeout: 10_000 })
      .toBe(true);
    const second = slack.call("slack_get_user", { user: "U0ANA00001" });
    const [a, b] = await Promise.all([first, second]);
    expect(a.metadata.attempts).toBe(2);
    expect(b.metadata.attempts).toBe(1);
    expect(times).toHaveLength(3);
    const [rejectedAt = 0, ...later] = times;
    for (const time of later) expect(time - rejectedAt).toBeGreaterThanOrEqual(950);
    expect(a.metadata.rateLimitWaitMs).toBeGreaterThanOrEqual(950);
  });

  it("a Retry-After longer than the retry policy allows ends the call at once with rate_limited", async () => {
    let calls = 0;
    server.use(
      method("users.info", () => {
        calls += 1;
        return new HttpResponse(null, { status: 429, headers: slackHeaders({ "retry-after": "30" }) });
      }),
    );
    const failed = await failure(connector().call("slack_get_user", { user: "U0ANA00001" }));
    expect(failed.code).toBe("rate_limited");
    expect(failed.retryAfterMs).toBe(30_000);
    expect(failed.retryable).toBe(true);
    expect(failed.upstream?.requestId).toMatch(/^req-/);
    expect(calls).toBe(1);
  });

  it("a 429 without Retry-After waits the configured default, then succeeds", async () => {
    let calls = 0;
    server.use(
      method("users.info", () => {
        calls += 1;
        return calls === 1
          ? new HttpResponse(null, { status: 429, headers: slackHeaders() })
          : ok(fixture("users-info"));
      }),
    );
    const { metadata } = await connector({ defaultRetryAfterMs: 50 }).call("slack_get_user", {
      user: "U0ANA00001",
    });
    expect(metadata.attempts).toBe(2);
    expect(metadata.rateLimitWaitMs).toBeGreaterThanOrEqual(40);
  });

  it("ok:false ratelimited (HTTP 200) is rate_limited too, honouring Retry-After", async () => {
    let calls = 0;
    server.use(
      method("users.info", () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(
              { ok: false, error: "ratelimited" },
              { headers: slackHeaders({ "retry-after": "0" }) },
            )
          : ok(fixture("users-info"));
      }),
    );
    const { metadata } = await connector().call("slack_get_user", { user: "U0ANA00001" });
    expect(metadata.attempts).toBe(2);
  });

  it("the SDK's own retries are off: a 503 is retried by core's bounded policy only", async () => {
    let calls = 0;
    server.use(
      method("users.info", () => {
        calls += 1;
        return new HttpResponse("upstream connect error", { status: 503, headers: slackHeaders() });
      }),
    );
    const failed = await failure(connector().call("slack_get_user", { user: "U0ANA00001" }));
    expect(failed.code).toBe("upstream_unavailable");
    expect(failed.upstream?.status).toBe(503);
    // One attempt plus core's three retries; the SDK's default would have made eleven over half an hour.
    expect(calls).toBe(4);
  });
});

describe("non-Marketplace history profile", () => {
  it("clamps history to 15 items, says so, and refuses a second request within the minute with its wait", async () => {
    const limits: string[] = [];
    server.use(
      method("conversations.history", ({ form }) => {
        limits.push(form.get("limit") ?? "");
        return ok({ messages: [], has_more: false });
      }),
    );
    const events: CallEvent[] = [];
    const slack = connector({ historyProfile: "non_marketplace", onEvent: (event) => events.push(event) });
    const { output } = await slack.call("slack_get_channel_history", { channel: "C0OPS00001", limit: 50 });
    expect(limits).toEqual(["15"]);
    expect(output.note).toContain("limit clamped from 50 to 15");
    expect(output.note).toContain("1 request per minute");
    // The minute's request is spent: a call that cannot wait that long fails at once, saying how long to wait.
    events.length = 0;
    const held = await failure(
      slack.call("slack_get_channel_history", { channel: "C0OPS00001", limit: 10 }, { deadlineMs: 5_000 }),
    );
    // rate_limited, not timeout: the call did not sit out its deadline waiting for the budget. Nor did it wait
    // before failing: no time on the limiter, no retry.
    expect(held.code).toBe("rate_limited");
    expect(held.retryAfterMs).toBeGreaterThan(55_000);
    expect(events.map((event) => event.type)).toEqual(["call.start", "call.end"]);
    expect(events.at(-1)).toMatchObject({
      outcome: "rate_limited",
      metadata: { attempts: 1, rateLimitWaitMs: 0 },
    });
    // The second request never reached Slack.
    expect(limits).toEqual(["15"]);
  });

  it("limits within 15 are sent as given, without a note; replies are clamped the same way", async () => {
    const limits: string[] = [];
    server.use(
      method("conversations.history", ({ form }) => {
        limits.push(`history:${form.get("limit")}`);
        return ok({ messages: [], has_more: false });
      }),
      method("conversations.replies", ({ form }) => {
        limits.push(`replies:${form.get("limit")}`);
        return ok({ messages: [], has_more: false });
      }),
    );
    const slack = connector({ historyProfile: "non_marketplace" });
    const history = await slack.call("slack_get_channel_history", { channel: "C0OPS00001", limit: 10 });
    const replies = await slack.call("slack_get_thread_replies", {
      channel: "C0OPS00001",
      threadTs: "1700000100.000100",
      limit: 100,
    });
    expect(history.output.note).toBeNull();
    expect(replies.output.note).toContain("conversations.replies");
    expect(limits).toEqual(["history:10", "replies:15"]);
  });

  it("the standard profile sends the limit unclamped", async () => {
    let limit: string | null = null;
    server.use(
      method("conversations.history", ({ form }) => {
        limit = form.get("limit");
        return ok({ messages: [], has_more: false });
      }),
      method("users.info", () => slackError("user_not_found")),
    );
    const { output } = await connector().call("slack_get_channel_history", {
      channel: "C0OPS00001",
      limit: 150,
    });
    expect(limit).toBe("150");
    expect(output.note).toBeNull();
  });
});
