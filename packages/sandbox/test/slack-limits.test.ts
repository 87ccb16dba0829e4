import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SLACK_GENERAL_CHANNEL_ID,
  SLACK_LONG_THREAD_INDEX,
  SLACK_SANDBOX_BOT_TOKEN,
  SLACK_SANDBOX_USER_TOKEN,
} from "../src/slack/index.js";
import { manualClock, platformError, type SlackTestClient, slackSandbox } from "./slack-helpers.js";

/** Tiered rate limits (HTTP 429 + Retry-After), the non-Marketplace history profile, and Slack-flavoured faults. */

interface Rejection {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  headers?: Record<string, string>;
  body?: unknown;
  message: string;
}

async function rejection(call: Promise<unknown>): Promise<Rejection> {
  try {
    await call;
  } catch (error) {
    return error as Rejection;
  }
  throw new Error("expected the call to fail");
}

describe("tier budgets", () => {
  const clock = manualClock();
  let slack: SlackTestClient;
  beforeAll(async () => {
    slack = await slackSandbox({ now: clock.now, options: { slack: { rateLimits: { tier2: 3 } } } });
  });
  afterAll(async () => {
    await slack.sandbox.close();
  });

  it("answers 429 with Retry-After once a method's per-minute budget is spent, per token and method", async () => {
    const bot = slack.client(SLACK_SANDBOX_BOT_TOKEN, { rejectRateLimitedCalls: true });
    for (let call = 0; call < 3; call += 1)
      expect((await bot.conversations.list({ limit: 1 })).ok).toBe(true);
    const limited = await rejection(bot.conversations.list({ limit: 1 }));
    expect(limited).toMatchObject({ code: "slack_webapi_rate_limited_error", retryAfter: 60 });

    const raw = await slack.post("conversations.list", { limit: "1" });
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("60");
    expect(await raw.json()).toEqual({ ok: false, error: "ratelimited" });

    // Another method of the same tier, and another token, have budgets of their own.
    expect((await bot.users.list({ limit: 1 })).ok).toBe(true);
    expect((await slack.client(SLACK_SANDBOX_USER_TOKEN).conversations.list({ limit: 1 })).ok).toBe(true);

    clock.advance(45_000);
    expect((await rejection(bot.conversations.list({ limit: 1 }))).retryAfter).toBe(15);
    clock.advance(15_000);
    expect((await bot.conversations.list({ limit: 1 })).ok).toBe(true);
  });

  it("limits chat.postMessage per channel: a burst of 3, then about one per second", async () => {
    const bot = slack.client(SLACK_SANDBOX_BOT_TOKEN, { rejectRateLimitedCalls: true });
    for (let post = 0; post < 3; post += 1) {
      expect(
        (await bot.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text: `burst ${post}` })).ok,
      ).toBe(true);
    }
    expect(
      await rejection(bot.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text: "one too many" })),
    ).toMatchObject({
      code: "slack_webapi_rate_limited_error",
      retryAfter: 1,
    });
    // The channel's name shares the budget of its id; another channel has its own.
    expect((await rejection(bot.chat.postMessage({ channel: "#general", text: "by name" }))).retryAfter).toBe(
      1,
    );
    expect((await bot.chat.postMessage({ channel: "random", text: "another channel" })).ok).toBe(true);
    clock.advance(1_000);
    expect(
      (await bot.chat.postMessage({ channel: SLACK_GENERAL_CHANNEL_ID, text: "after a second" })).ok,
    ).toBe(true);
  });

  it("switches off at run time (uncounted while off) and back on", async () => {
    const bot = slack.client(SLACK_SANDBOX_BOT_TOKEN, { rejectRateLimitedCalls: true });
    const limits = slack.sandbox.state.slack.rateLimits;
    limits.enabled = false;
    try {
      for (let call = 0; call < 10; call += 1)
        expect((await bot.conversations.list({ limit: 1 })).ok).toBe(true);
    } finally {
      limits.enabled = true;
    }
    // One call of this window was made before the switch; two more fit into the budget of 3.
    for (let call = 0; call < 2; call += 1)
      expect((await bot.conversations.list({ limit: 1 })).ok).toBe(true);
    expect((await rejection(bot.conversations.list({ limit: 1 }))).code).toBe(
      "slack_webapi_rate_limited_error",
    );
    limits.configure(false);
    expect((await bot.conversations.list({ limit: 1 })).ok).toBe(true);
    limits.configure({ enabled: true });
  });
});

describe("the non-Marketplace app profile (2026)", () => {
  const clock = manualClock();
  let slack: SlackTestClient;
  beforeAll(async () => {
    slack = await slackSandbox({ now: clock.now, options: { slack: { appProfile: "non_marketplace" } } });
  });
  afterAll(async () => {
    await slack.sandbox.close();
  });

  it("caps history and replies at 15 items and 1 request per minute", async () => {
    const bot = slack.client(SLACK_SANDBOX_BOT_TOKEN, { rejectRateLimitedCalls: true });
    const history = await bot.conversations.history({ channel: SLACK_GENERAL_CHANNEL_ID, limit: 200 });
    expect(history.messages).toHaveLength(15);
    expect(history.has_more).toBe(true);
    expect(
      await rejection(
        bot.conversations.history({
          channel: SLACK_GENERAL_CHANNEL_ID,
          cursor: history.response_metadata?.next_cursor as string,
        }),
      ),
    ).toMatchObject({ code: "slack_webapi_rate_limited_error", retryAfter: 60 });

    const parent = slack.sandbox.state.slack.general().timeline[SLACK_LONG_THREAD_INDEX];
    const replies = await bot.conversations.replies({
      channel: SLACK_GENERAL_CHANNEL_ID,
      ts: parent?.ts as string,
    });
    expect(replies.messages).toHaveLength(15);
    expect(replies.has_more).toBe(true);

    clock.advance(60_000);
    const next = await bot.conversations.history({
      channel: SLACK_GENERAL_CHANNEL_ID,
      cursor: history.response_metadata?.next_cursor as string,
    });
    expect(next.messages).toHaveLength(15);
    expect(Number(next.messages?.[0]?.ts)).toBeLessThan(Number(history.messages?.at(-1)?.ts));
  });

  it("keeps the 15-item cap with budgets switched off", async () => {
    slack.sandbox.state.slack.rateLimits.enabled = false;
    const bot = slack.client(SLACK_SANDBOX_BOT_TOKEN);
    for (let call = 0; call < 3; call += 1) {
      expect(
        (await bot.conversations.history({ channel: SLACK_GENERAL_CHANNEL_ID, limit: 999 })).messages,
      ).toHaveLength(15);
    }
  });
});

describe("faults with the Slack flavor", () => {
  let slack: SlackTestClient;
  beforeAll(async () => {
    slack = await slackSandbox();
  });
  afterAll(async () => {
    await slack.sandbox.close();
  });

  it("429 with Retry-After: the SDK waits and retries by itself, or rejects when asked to", async () => {
    const faults = slack.sandbox.faults;
    faults.set("slack", { kind: "rate_limit_429", retryAfterSeconds: 1, count: 1, route: "/api/auth.test" });
    const patient = slack.client(SLACK_SANDBOX_BOT_TOKEN, {
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
    });
    const started = Date.now();
    expect((await patient.auth.test()).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    faults.set("slack", { kind: "rate_limit_429", retryAfterSeconds: 7, count: 1 });
    const strict = slack.client(SLACK_SANDBOX_BOT_TOKEN, { rejectRateLimitedCalls: true });
    expect(await rejection(strict.auth.test())).toMatchObject({
      code: "slack_webapi_rate_limited_error",
      retryAfter: 7,
    });

    // Without Retry-After the SDK gives up with a plain Error that has no code (a documented SDK quirk).
    faults.set("slack", { kind: "rate_limit_429", count: 1 });
    const bare = await rejection(strict.auth.test());
    expect(bare.code).toBeUndefined();
    expect(bare.message).toContain("Retry header did not contain a valid timeout");
  });

  it("5xx as an HTTP error, an expired credential as HTTP 200 token_expired, a reset as a request error", async () => {
    const bot = slack.client(SLACK_SANDBOX_BOT_TOKEN);
    slack.sandbox.faults.set("slack", { kind: "server_error", status: 503, retryAfterSeconds: 3, count: 1 });
    const unavailable = await rejection(bot.auth.test());
    expect(unavailable).toMatchObject({
      code: "slack_webapi_http_error",
      statusCode: 503,
      headers: { "retry-after": "3" },
      body: { ok: false, error: "service_unavailable" },
    });

    slack.sandbox.faults.set("slack", {
      kind: "expired_credential",
      count: 1,
      route: "/api/conversations.list",
    });
    expect((await bot.auth.test()).ok).toBe(true);
    expect(await platformError(bot.conversations.list())).toEqual({
      ok: false,
      error: "token_expired",
      response_metadata: {},
    });

    slack.sandbox.faults.set("slack", { kind: "connection_reset", count: 1 });
    expect((await rejection(bot.auth.test())).code).toBe("slack_webapi_request_error");
    expect((await bot.auth.test()).ok).toBe(true);
  });

  it("is driven through the control endpoints like every upstream", async () => {
    const url = slack.sandbox.url;
    const added = await fetch(`${url}/__sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({
        upstream: "slack",
        fault: { kind: "rate_limit_429", retryAfterSeconds: 2, count: 1 },
      }),
    });
    expect(added.status).toBe(201);
    const limited = await slack.post("auth.test", {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.headers.get("x-slack-req-id")).toBeTruthy();
    expect(await limited.json()).toEqual({ ok: false, error: "ratelimited" });

    const state = (await (await fetch(`${url}/__sandbox/state`)).json()) as {
      upstreams: { slack: { url: string; state: Record<string, unknown> } };
    };
    expect(state.upstreams.slack.url).toBe(slack.sandbox.urls.slack);
    expect(state.upstreams.slack.state).toMatchObject({
      team: "T0SANDBOX",
      users: 30,
      channels: 120,
      generalMessages: 520,
      rateLimits: { enabled: true, appProfile: "internal" },
    });
  });
});
