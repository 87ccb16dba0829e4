import dns from "node:dns";
import net from "node:net";
import { WebClient } from "@slack/web-api";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_UPSTREAMS, UpstreamFaults } from "../src/index.js";
import {
  createSlackSandboxHandlers,
  SLACK_GENERAL_CHANNEL_ID,
  SLACK_SANDBOX_BOT_TOKEN,
  SLACK_SANDBOX_USER_TOKEN,
} from "../src/slack/index.js";
import { silentLogger } from "./slack-helpers.js";

/**
 * The same handlers in-process under setupServer, at Slack's own https://slack.com/api/. The WebClient is built
 * after listen(): it captures fetch in its constructor, and one built before would reach the real slack.com.
 */

const slack = createSlackSandboxHandlers();
// The registry's factory works in-process too: here GovSlack's API root.
const gov = SANDBOX_UPSTREAMS.slack.create({
  mountPath: "https://slack-gov.com",
  faults: new UpstreamFaults("slack-gov"),
  seed: 1,
  now: Date.now,
  options: undefined,
});
const server = setupServer(...slack.handlers, ...gov.handlers);
const unhandled: string[] = [];
server.events.on("request:unhandled", ({ request }) => {
  unhandled.push(`${request.method} ${request.url}`);
});

// No socket and no DNS lookup may happen: everything is answered in-process.
const attempts: string[] = [];
const originalConnect = net.Socket.prototype.connect;
const originalLookup = dns.lookup;

let bot: WebClient;

beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
    const target = args[0] as { host?: string; port?: number; path?: string } | number | string;
    attempts.push(
      `connect ${typeof target === "object" ? `${target.host ?? target.path}:${target.port ?? ""}` : target}`,
    );
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = (host: string, ...rest: unknown[]) => {
    attempts.push(`dns ${host}`);
    return (originalLookup as (...a: unknown[]) => void)(host, ...rest);
  };
  bot = new WebClient(SLACK_SANDBOX_BOT_TOKEN, {
    slackApiUrl: "https://slack.com/api/",
    retryConfig: { retries: 0 },
    logger: silentLogger,
  });
});
afterEach(() => {
  expect(unhandled).toEqual([]);
  expect(attempts).toEqual([]);
});
afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
  (dns as { lookup: unknown }).lookup = originalLookup;
  server.close();
});

describe("createSlackSandboxHandlers under setupServer", () => {
  it("answers the WebClient at https://slack.com/api/: auth, paging, posting", async () => {
    expect(await bot.auth.test()).toMatchObject({ ok: true, team_id: "T0SANDBOX" });
    let pages = 0;
    for await (const _page of bot.paginate("conversations.list", { limit: 40 })) pages += 1;
    expect(pages).toBe(3);
    const posted = await bot.chat.postMessage({
      channel: SLACK_GENERAL_CHANNEL_ID,
      text: "in-process hello",
    });
    const history = await bot.conversations.history({ channel: SLACK_GENERAL_CHANNEL_ID, limit: 1 });
    expect(history.messages?.[0]).toMatchObject({ ts: posted.ts, text: "in-process hello" });
    expect(slack.state.general().timeline.at(-1)?.text).toBe("in-process hello");
  });

  it("faults and resets work in-process", async () => {
    slack.faults.set({ kind: "connection_reset", count: 1 });
    await expect(bot.auth.test()).rejects.toMatchObject({ code: "slack_webapi_request_error" });
    slack.faults.set({ kind: "expired_credential", count: 1 });
    await expect(bot.auth.test()).rejects.toMatchObject({ data: { ok: false, error: "token_expired" } });
    slack.reset();
    expect(slack.state.general().timeline.some((message) => message.text === "in-process hello")).toBe(false);
    const offApi = await fetch("https://slack.com/definitely/not/the/api");
    expect(offApi.status).toBe(404);
  });

  it("serves a second root from the upstream registry (the user token searches there)", async () => {
    const user = new WebClient(SLACK_SANDBOX_USER_TOKEN, {
      slackApiUrl: "https://slack-gov.com/api/",
      retryConfig: { retries: 0 },
      logger: silentLogger,
    });
    const found = await user.search.messages({ query: "quarterly" });
    expect(found.messages?.total).toBe(2);
    expect(gov.env("https://slack-gov.com").SLACK_API_URL).toBe("https://slack-gov.com/api/");
  });
});
