import { readFileSync } from "node:fs";
import { WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { createSlackConnector } from "../src/slack-connector.js";
import { slackBuckets } from "../src/slack-rate-limits.js";
import { slackSettingsFromEnv } from "../src/slack-settings.js";
import { VERSION } from "../src/version.js";
import {
  API,
  CANARY_BOT_TOKEN,
  CANARY_USER_TOKEN,
  connector,
  failure,
  fixture,
  method,
  ok,
  slackError,
} from "./helpers.js";
import { seen, server } from "./msw-server.js";

const TOOL_NAMES = [
  "slack_add_reaction",
  "slack_find_user_by_email",
  "slack_get_channel_history",
  "slack_get_thread_replies",
  "slack_get_user",
  "slack_list_channels",
  "slack_list_users",
  "slack_post_message",
  "slack_reply_in_thread",
  "slack_search_messages",
];

// Built at module load, after setup.ts started MSW: the SDK captures fetch in its constructor.
const topLevelClient = new WebClient(CANARY_BOT_TOKEN, { retryConfig: { retries: 0 } });

describe("connector", () => {
  it("builds and lists tools without any credential", () => {
    const slack = createSlackConnector(slackSettingsFromEnv({}));
    expect(slack.id).toBe("slack");
    expect(slack.tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    expect(slack.writesAllowed).toBe(false);
    expect(slack.enabledTools().map((tool) => tool.name)).toEqual(
      TOOL_NAMES.filter(
        (name) => !["slack_add_reaction", "slack_post_message", "slack_reply_in_thread"].includes(name),
      ),
    );
    for (const tool of slack.describeTools()) {
      expect(tool.description.length, tool.name).toBeLessThanOrEqual(300);
      expect(tool.outputSchema).toHaveProperty("properties");
    }
  });

  it("annotates writes as destructive; only the reaction is idempotent", () => {
    const byName = Object.fromEntries(
      connector({ allowWrites: true })
        .describeTools()
        .map((tool) => [tool.name, tool.annotations]),
    );
    for (const name of ["slack_post_message", "slack_reply_in_thread"]) {
      expect(byName[name], name).toMatchObject({ readOnly: false, destructive: true, idempotent: false });
    }
    expect(byName.slack_add_reaction).toMatchObject({ readOnly: false, destructive: true, idempotent: true });
    expect(byName.slack_list_channels).toMatchObject({ readOnly: true, destructive: false });
  });

  it("fails a call with credentials_missing naming every variable, before any request", async () => {
    const slack = createSlackConnector(slackSettingsFromEnv({}));
    const failed = await failure(slack.call("slack_list_channels", {}));
    expect(failed.code).toBe("credentials_missing");
    for (const name of [
      "SLACK_BOT_TOKEN",
      "SLACK_USER_TOKEN",
      "SLACK_REFRESH_TOKEN",
      "SLACK_CLIENT_ID",
      "SLACK_CLIENT_SECRET",
    ]) {
      expect(failed.message).toContain(name);
    }
    expect(seen).toHaveLength(0);
  });

  it("names the missing variables of a half-configured token rotation", async () => {
    const slack = createSlackConnector(
      slackSettingsFromEnv({ SLACK_REFRESH_TOKEN: "xoxe-1-abc", SLACK_BOT_TOKEN: CANARY_BOT_TOKEN }),
    );
    const failed = await failure(slack.call("slack_list_channels", {}));
    expect(failed.code).toBe("credentials_missing");
    expect(failed.message).toContain("SLACK_CLIENT_ID, SLACK_CLIENT_SECRET");
    expect(seen).toHaveLength(0);
  });

  it("reads settings from the environment", () => {
    const settings = slackSettingsFromEnv({
      SLACK_BOT_TOKEN: ` ${CANARY_BOT_TOKEN} `,
      SLACK_USER_TOKEN: CANARY_USER_TOKEN,
      SLACK_API_URL: "http://127.0.0.1:9999/api",
      SLACK_REFRESH_TOKEN: "xoxe-1-abc",
      SLACK_CLIENT_ID: "123.456",
      SLACK_CLIENT_SECRET: "shh",
      SLACK_CHANNELS: "#ops, eng-*, C0ALLOWED1",
      SLACK_HISTORY_PROFILE: "non-marketplace",
      SLACK_ALLOW_BROADCAST_MENTIONS: "false",
    });
    expect(settings).toMatchObject({
      botToken: CANARY_BOT_TOKEN,
      userToken: CANARY_USER_TOKEN,
      apiUrl: "http://127.0.0.1:9999/api",
      rotation: { refreshToken: "xoxe-1-abc", clientId: "123.456", clientSecret: "shh", tokenKind: "bot" },
      channels: ["#ops", "eng-*", "C0ALLOWED1"],
      historyProfile: "non_marketplace",
      allowBroadcastMentions: false,
    });
    // Overrides win, but an undefined override does not erase the environment.
    expect(
      slackSettingsFromEnv({ SLACK_BOT_TOKEN: "xoxb-1" }, { allowWrites: true, botToken: undefined }),
    ).toMatchObject({ botToken: "xoxb-1", allowWrites: true });
    // Rotation of a user token when only a user token is configured.
    expect(
      slackSettingsFromEnv({
        SLACK_USER_TOKEN: CANARY_USER_TOKEN,
        SLACK_REFRESH_TOKEN: "xoxe-1-abc",
        SLACK_CLIENT_ID: "1",
        SLACK_CLIENT_SECRET: "2",
      }).rotation?.tokenKind,
    ).toBe("user");
  });

  it("refuses malformed settings at construction", () => {
    expect(() => createSlackConnector({ apiUrl: "not a url" })).toThrow(/SLACK_API_URL/);
    expect(() => createSlackConnector({ apiUrl: "ftp://slack.com/api" })).toThrow(/http/);
    expect(() => createSlackConnector({ channels: ["ops/../x"] })).toThrow(/SLACK_CHANNELS/);
    expect(() => slackSettingsFromEnv({ SLACK_HISTORY_PROFILE: "premium" })).toThrow(/SLACK_HISTORY_PROFILE/);
  });

  it("sends requests to SLACK_API_URL with the bot token", async () => {
    const base = "http://127.0.0.1:4010/api";
    let token: string | undefined;
    server.use(
      method(
        "conversations.list",
        (request) => {
          token = request.token;
          return ok({ channels: [], response_metadata: { next_cursor: "" } });
        },
        base,
      ),
    );
    const { output } = await connector({ apiUrl: `${base}/` }).call("slack_list_channels", {});
    expect(output.items).toEqual([]);
    expect(token).toBe(CANARY_BOT_TOKEN);
    expect(seen[0]?.headers.get("user-agent")).toBe(`switchyard-slack/${VERSION}`);
  });

  it("an aws-sm:// token without its resolver fails with credentials_missing naming the package", async () => {
    const failed = await failure(
      createSlackConnector({ botToken: "aws-sm://prod/slack#bot" }).call("slack_list_channels", {}),
    );
    expect(failed.code).toBe("credentials_missing");
    expect(failed.message).toContain("@switchyard/aws-secrets");
    expect(seen).toHaveLength(0);
  });

  it("keeps VERSION in step with package.json", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(VERSION).toBe(manifest.version);
  });

  it("declares one bucket per method with its tier's per-minute reservoir", () => {
    const buckets = slackBuckets();
    expect(buckets["conversations.list"]).toMatchObject({ reservoir: { amount: 20, intervalMs: 60_000 } });
    expect(buckets["conversations.history"]).toMatchObject({ reservoir: { amount: 50, intervalMs: 60_000 } });
    expect(buckets["users.info"]).toMatchObject({ reservoir: { amount: 100, intervalMs: 60_000 } });
    expect(buckets["chat.postMessage"]).toEqual({ maxConcurrent: 1, minTimeMs: 1000 });
    const limited = slackBuckets("non_marketplace");
    expect(limited["conversations.history"]).toEqual({
      maxConcurrent: 1,
      reservoir: { amount: 1, intervalMs: 60_000 },
    });
    expect(limited["conversations.replies"]).toEqual(limited["conversations.history"]);
    for (const tool of connector().tools) {
      const bucket = tool.rateLimit?.bucket;
      expect(bucket && bucket in buckets, tool.name).toBe(true);
    }
  });

  it("a WebClient built at module load, after MSW started, is intercepted", async () => {
    server.use(method("auth.test", () => ok(fixture("auth-test"))));
    const answer = await topLevelClient.apiCall("auth.test");
    expect(answer.ok).toBe(true);
    expect(seen.map((request) => request.url)).toEqual([`${API}/auth.test`]);
  });
});

describe("doctor probe", () => {
  it("reports identity, scopes and what is missing", async () => {
    server.use(
      method("auth.test", () =>
        ok(fixture("auth-test"), { "x-oauth-scopes": "channels:read,users:read,chat:write" }),
      ),
    );
    const diagnosis = await connector().diagnose();
    expect(diagnosis).toMatchObject({
      connector: "slack",
      credentialsFound: true,
      reachable: true,
      identity: "bot switchyard (U0BOTUSER1) in Acme (T0TEAM0001)",
      scopes: ["channels:read", "users:read", "chat:write"],
    });
    const messages = diagnosis.problems.map((problem) => problem.message).join("\n");
    expect(messages).toContain("channels:history");
    expect(messages).toContain("reactions:write");
    expect(messages).toContain("slack_search_messages");
    expect(JSON.stringify(diagnosis)).not.toContain(CANARY_BOT_TOKEN);
  });

  it("turns a rejected token into a problem with a fix", async () => {
    server.use(method("auth.test", () => slackError("invalid_auth")));
    const diagnosis = await connector().diagnose();
    expect(diagnosis.reachable).toBe(true);
    expect(diagnosis.problems[0]?.message).toContain("invalid_auth");
    expect(diagnosis.problems[0]?.fix).toMatch(/renew/);
  });
});
