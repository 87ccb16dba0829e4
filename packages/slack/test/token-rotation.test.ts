import { describe, expect, it } from "vitest";
import { createSlackConnector } from "../src/slack-connector.js";
import type { SlackSettings } from "../src/slack-settings.js";
import { isRefreshTokenPersistenceError } from "../src/slack-token-rotation.js";
import {
  CANARY_BOT_TOKEN,
  CANARY_CLIENT_SECRET,
  CANARY_REFRESH_TOKEN,
  failure,
  fixture,
  method,
  ok,
  seenMethods,
  slackError,
} from "./helpers.js";
import { seen, server } from "./msw-server.js";

const HOUR = 60 * 60 * 1000;

interface Harness {
  /** Ordered log: `exchange:<refresh token sent>`, `persist:<new refresh token>`, `use:<access token>`. */
  readonly events: string[];
  readonly exchanges: Record<string, string>[];
  /** Moves the connector's clock. */
  advance(ms: number): void;
  readonly now: () => number;
}

/** oauth.v2.access issuing access-N / refresh-N, and users.info recording which token each request used. */
function rotationHarness(
  options: {
    exchangeDelayMs?: number;
    /** Holds every exchange until it settles. */
    exchangeGate?: Promise<void>;
    expired?: (token: string) => boolean;
  } = {},
): Harness {
  const events: string[] = [];
  const exchanges: Record<string, string>[] = [];
  let offset = 0;
  server.use(
    method("oauth.v2.access", async ({ form, token }) => {
      expect(token).toBeUndefined();
      exchanges.push(Object.fromEntries(form));
      events.push(`exchange:${form.get("refresh_token")}`);
      if (options.exchangeDelayMs)
        await new Promise((resolve) => setTimeout(resolve, options.exchangeDelayMs));
      if (options.exchangeGate) await options.exchangeGate;
      const n = exchanges.length;
      return ok({
        ...fixture("oauth-v2-access"),
        access_token: `xoxe.xoxb-1-access${n}`,
        refresh_token: `xoxe-1-refresh${n}`,
        expires_in: 43_200,
      });
    }),
    method("users.info", ({ token }) => {
      events.push(`use:${token}`);
      if (token && options.expired?.(token)) return slackError("token_expired");
      return ok(fixture("users-info"));
    }),
  );
  return {
    events,
    exchanges,
    advance: (ms) => {
      offset += ms;
    },
    now: () => Date.now() + offset,
  };
}

function rotatingConnector(harness: Harness, settings: Partial<SlackSettings> = {}, rotation = {}) {
  return createSlackConnector({
    now: harness.now,
    retry: { baseDelayMs: 5, minDelayMs: 1, maxDelayMs: 20 },
    warn: () => {},
    ...settings,
    rotation: {
      refreshToken: CANARY_REFRESH_TOKEN,
      clientId: "1234.5678",
      clientSecret: CANARY_CLIENT_SECRET,
      onRefreshToken: async (token) => {
        harness.events.push(`persist:${token}`);
      },
      ...rotation,
    },
  });
}

const getUser = { user: "U0ANA00001" };

describe("token rotation", () => {
  it("exchanges the refresh token, stores the new one before using the new access token, and chains refreshes", async () => {
    const harness = rotationHarness();
    const persisted: { token: string; info: unknown }[] = [];
    const slack = rotatingConnector(
      harness,
      {},
      {
        onRefreshToken: async (token: string, info: unknown) => {
          persisted.push({ token, info });
          harness.events.push(`persist:${token}`);
        },
      },
    );
    await slack.call("slack_get_user", getUser);
    expect(harness.exchanges[0]).toEqual({
      client_id: "1234.5678",
      client_secret: CANARY_CLIENT_SECRET,
      grant_type: "refresh_token",
      refresh_token: CANARY_REFRESH_TOKEN,
    });
    expect(persisted[0]).toEqual({
      token: "xoxe-1-refresh1",
      info: { tokenKind: "bot", accessTokenExpiresAt: expect.any(Number), teamId: "T0TEAM0001" },
    });
    // Still fresh: no exchange.
    await slack.call("slack_get_user", getUser);
    // Inside the refresh-ahead window (30 min before the 12 h expiry): the next call refreshes first,
    // with the refresh token Slack issued last, not the configured one.
    harness.advance(12 * HOUR - 20 * 60 * 1000);
    await slack.call("slack_get_user", getUser);
    expect(harness.events).toEqual([
      `exchange:${CANARY_REFRESH_TOKEN}`,
      "persist:xoxe-1-refresh1",
      "use:xoxe.xoxb-1-access1",
      "use:xoxe.xoxb-1-access1",
      "exchange:xoxe-1-refresh1",
      "persist:xoxe-1-refresh2",
      "use:xoxe.xoxb-1-access2",
    ]);
  });

  it("50 concurrent calls at expiry: exactly one oauth.v2.access, the new refresh token stored before any use", async () => {
    const harness = rotationHarness({ exchangeDelayMs: 50 });
    const slack = rotatingConnector(harness);
    await slack.call("slack_get_user", getUser);
    harness.advance(12 * HOUR);
    harness.events.length = 0;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => slack.call("slack_get_user", getUser)),
    );
    expect(results).toHaveLength(50);
    expect(harness.exchanges).toHaveLength(2);
    expect(harness.events[0]).toBe("exchange:xoxe-1-refresh1");
    expect(harness.events[1]).toBe("persist:xoxe-1-refresh2");
    expect(harness.events.slice(2)).toEqual(Array.from({ length: 50 }, () => "use:xoxe.xoxb-1-access2"));
  });

  it("token_expired before the expected expiry: core refreshes once and the call succeeds", async () => {
    const harness = rotationHarness({ expired: (token) => token === "xoxe.xoxb-1-access1" });
    const slack = rotatingConnector(harness);
    const { metadata } = await slack.call("slack_get_user", getUser);
    expect(metadata.credentialRefreshed).toBe(true);
    expect(harness.events).toEqual([
      `exchange:${CANARY_REFRESH_TOKEN}`,
      "persist:xoxe-1-refresh1",
      "use:xoxe.xoxb-1-access1",
      "exchange:xoxe-1-refresh1",
      "persist:xoxe-1-refresh2",
      "use:xoxe.xoxb-1-access2",
    ]);
  });

  it("token_expired without rotation is unauthenticated at once, with a hint to configure rotation", async () => {
    server.use(method("users.info", () => slackError("token_expired")));
    const failed = await failure(
      createSlackConnector({ botToken: CANARY_BOT_TOKEN }).call("slack_get_user", getUser),
    );
    expect(failed.code).toBe("unauthenticated");
    expect(failed.hint).toContain("SLACK_REFRESH_TOKEN");
    expect(seen).toHaveLength(1);
  });

  it("when storing the new refresh token fails, the new access token is not used and the error says so", async () => {
    const harness = rotationHarness();
    const warnings: string[] = [];
    let storeWorks = false;
    const slack = rotatingConnector(
      harness,
      { warn: (message) => warnings.push(message) },
      {
        onRefreshToken: async (token: string) => {
          harness.events.push(`persist-attempt:${token}`);
          if (!storeWorks) throw new Error("vault is read-only");
        },
      },
    );
    const failed = await failure(slack.call("slack_get_user", getUser));
    expect(failed.code).toBe("internal");
    expect(isRefreshTokenPersistenceError(failed)).toBe(true);
    expect(failed.details).toMatchObject({ reason: "refresh_token_not_persisted", tokenKind: "bot" });
    expect(failed.message).toContain("vault is read-only");
    expect(failed.retryable).toBe(false);
    expect(warnings.join("\n")).toMatch(/Storing the new Slack refresh token failed/);
    expect(seenMethods(seen)).toEqual(["oauth.v2.access"]);
    // Once the store works, the pending token is stored and used: no second exchange.
    storeWorks = true;
    await slack.call("slack_get_user", getUser);
    expect(harness.exchanges).toHaveLength(1);
    expect(harness.events).toEqual([
      `exchange:${CANARY_REFRESH_TOKEN}`,
      "persist-attempt:xoxe-1-refresh1",
      "persist-attempt:xoxe-1-refresh1",
      "use:xoxe.xoxb-1-access1",
    ]);
    const serialized = JSON.stringify([failed, failed.message, failed.hint, failed.stack, warnings]);
    for (const secret of [
      CANARY_REFRESH_TOKEN,
      CANARY_CLIENT_SECRET,
      "xoxe-1-refresh1",
      "xoxe.xoxb-1-access1",
    ]) {
      expect(serialized).not.toContain(secret);
    }
  });

  it("without a hook, keeps the refresh token in memory and warns once; doctor reports it", async () => {
    const harness = rotationHarness();
    const warnings: string[] = [];
    const slack = createSlackConnector({
      now: harness.now,
      warn: (message) => warnings.push(message),
      rotation: {
        refreshToken: CANARY_REFRESH_TOKEN,
        clientId: "1234.5678",
        clientSecret: CANARY_CLIENT_SECRET,
      },
    });
    await slack.call("slack_get_user", getUser);
    harness.advance(12 * HOUR);
    await slack.call("slack_get_user", getUser);
    expect(harness.exchanges.map((exchange) => exchange.refresh_token)).toEqual([
      CANARY_REFRESH_TOKEN,
      "xoxe-1-refresh1",
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("kept in memory only");
    expect(warnings[0]).not.toContain("xoxe-1-refresh");
    server.use(method("auth.test", () => ok(fixture("auth-test"))));
    const diagnosis = await slack.diagnose();
    expect(diagnosis.problems.map((problem) => problem.message).join("\n")).toContain("in memory only");
  });

  it("a cancelled caller does not cut off the exchange that carries the new refresh token", async () => {
    let releaseExchange: () => void = () => {};
    const exchangeGate = new Promise<void>((resolve) => {
      releaseExchange = resolve;
    });
    const harness = rotationHarness({ exchangeGate });
    const slack = rotatingConnector(harness);
    const controller = new AbortController();
    const cancelled = slack.call("slack_get_user", getUser, { signal: controller.signal });
    // Cancel while the exchange is in flight (Slack holds its answer until released below).
    await expect.poll(() => harness.exchanges.length, { timeout: 10_000 }).toBe(1);
    controller.abort();
    const failed = await failure(cancelled);
    expect(failed.code).toBe("cancelled");
    releaseExchange();
    await slack.call("slack_get_user", getUser);
    expect(harness.exchanges).toHaveLength(1);
    expect(harness.events).toContain("persist:xoxe-1-refresh1");
    expect(harness.events.at(-1)).toBe("use:xoxe.xoxb-1-access1");
  });

  it("a refused refresh token is unauthenticated, naming the rotation settings, with no secret in the error", async () => {
    server.use(method("oauth.v2.access", () => slackError("invalid_refresh_token")));
    const slack = rotatingConnector(rotationHarness());
    server.use(method("oauth.v2.access", () => slackError("invalid_refresh_token")));
    const failed = await failure(slack.call("slack_get_user", getUser));
    expect(failed.code).toBe("unauthenticated");
    expect(failed.upstream?.code).toBe("invalid_refresh_token");
    expect(failed.hint).toContain("SLACK_REFRESH_TOKEN");
    expect(failed.hint).toContain("SLACK_CLIENT_SECRET");
    const serialized = JSON.stringify([failed, failed.message, failed.stack]);
    expect(serialized).not.toContain(CANARY_REFRESH_TOKEN);
    expect(serialized).not.toContain(CANARY_CLIENT_SECRET);
  });

  it("a rotating user token serves search while the static bot token serves the rest", async () => {
    const harness = rotationHarness();
    let searchToken: string | undefined;
    server.use(
      method("search.messages", ({ token }) => {
        searchToken = token;
        return ok({ messages: { total: 0, matches: [] } });
      }),
    );
    const slack = rotatingConnector(harness, { botToken: CANARY_BOT_TOKEN }, { tokenKind: "user" });
    await slack.call("slack_get_user", getUser);
    await slack.call("slack_search_messages", { query: "deploy" });
    expect(harness.events[0]).toBe(`use:${CANARY_BOT_TOKEN}`);
    expect(searchToken).toBe("xoxe.xoxb-1-access1");
    expect(harness.exchanges).toHaveLength(1);
  });
});
