import assert from "node:assert/strict";
import type { ConnectorInstance } from "@switchyard/core";
import { slackUpstream } from "@switchyard/sandbox";
import { createSlackConnector, slackSettingsFromEnv } from "@switchyard/slack";
import type { ContractConnector, ScenarioContext } from "./contract-connector.js";

/**
 * Slack: the fake is the sandbox's Slack workspace (`#general` is C0SBX00001, Sam Sandbox U0SBX0001), reached
 * with the static bot token (rotation is left out so a fault hits the tool's own request). Live reads list the
 * workspace and read CONTRACT_SLACK_READ_CHANNEL; live writes post only to CONTRACT_SLACK_TEST_CHANNEL (the bot
 * must be a member), and every message a scenario posted is deleted again with `chat.delete`.
 */

export const SLACK_LIVE_ENV = {
  botToken: "SLACK_BOT_TOKEN",
  readChannel: "CONTRACT_SLACK_READ_CHANNEL",
  testChannel: "CONTRACT_SLACK_TEST_CHANNEL",
} as const;

const FAKE_GENERAL = "C0SBX00001";
const FAKE_USER = "U0SBX0001";

const apiBase = (env: ScenarioContext["env"]) =>
  (env.SLACK_API_URL?.trim() || "https://slack.com/api/").replace(/\/+$/, "");

function channelFor(context: ScenarioContext, variable: string): string {
  if (context.target !== "live") return FAKE_GENERAL;
  const channel = context.env[variable]?.trim();
  if (!channel) throw new Error(`${variable} is not set.`);
  return channel;
}

/** Deletes the messages this run posted to the test channel (found by the run id), with the bot token. */
async function deleteMessagesOfRun(context: ScenarioContext): Promise<void> {
  if (context.target !== "live") return; // the fake is re-seeded; it has no chat.delete
  const token = context.env[SLACK_LIVE_ENV.botToken] ?? "";
  const channel = channelFor(context, SLACK_LIVE_ENV.testChannel);
  const call = async (method: string, params: Record<string, string>) => {
    const response = await fetch(`${apiBase(context.env)}/${method}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(15_000),
    });
    return (await response.json()) as {
      ok: boolean;
      error?: string;
      messages?: { ts: string; text?: string }[];
    };
  };
  const history = await call("conversations.history", { channel, limit: "50" });
  if (!history.ok) throw new Error(`cleanup: conversations.history failed: ${history.error}`);
  for (const message of history.messages ?? []) {
    if (!message.text?.includes(context.runId)) continue;
    const deleted = await call("chat.delete", { channel, ts: message.ts });
    if (!deleted.ok) throw new Error(`cleanup: chat.delete ${message.ts} failed: ${deleted.error}`);
  }
}

async function firstUserId(connector: ConnectorInstance): Promise<string> {
  const users = await connector.call(
    "slack_list_users",
    { limit: 5, includeBots: false },
    { deadlineMs: 15_000 },
  );
  const first = (users.output as { items: { id: string }[] }).items[0];
  if (!first) throw new Error("The workspace lists no user.");
  return first.id;
}

export const slackContract: ContractConnector = {
  id: "slack",
  packageName: "@switchyard/slack",
  fake: {
    name: "slack",
    liveBaseUrl: "https://slack.com",
    upstream: slackUpstream,
    registered: true,
    env: (env) => ({
      SLACK_API_URL: env.SLACK_API_URL ?? "",
      SLACK_BOT_TOKEN: env.SLACK_BOT_TOKEN ?? "",
      SLACK_USER_TOKEN: env.SLACK_USER_TOKEN ?? "",
    }),
  },
  targets: ["mock", "sandbox", "live"],
  live: {
    read: [SLACK_LIVE_ENV.botToken],
    write: [SLACK_LIVE_ENV.botToken, SLACK_LIVE_ENV.testChannel],
    apiBase,
    hosts: (env) => [new URL(apiBase(env)).hostname],
  },
  // Writes are confined to the test channel: it is the channel allowlist unless SLACK_CHANNELS says otherwise.
  create: (env, options) =>
    createSlackConnector(
      slackSettingsFromEnv(
        {
          ...env,
          SLACK_CHANNELS:
            env.SLACK_CHANNELS?.trim() || env[SLACK_LIVE_ENV.testChannel]?.trim() || FAKE_GENERAL,
        } as NodeJS.ProcessEnv,
        options,
      ),
    ),
  tools: [
    {
      tool: "slack_get_user",
      class: "read",
      title: "reads a user",
      idempotent: true,
      input: async (context, connector) => ({
        user: context.target === "live" ? await firstUserId(connector) : FAKE_USER,
      }),
      check(result, context) {
        if (context.target !== "live") assert.equal((result.output as { id: string }).id, FAKE_USER);
      },
    },
    {
      tool: "slack_get_channel_history",
      class: "read",
      title: "reads a channel's latest messages",
      idempotent: true,
      liveEnv: [SLACK_LIVE_ENV.readChannel],
      input: async (context) => ({ channel: channelFor(context, SLACK_LIVE_ENV.readChannel), limit: 5 }),
    },
    {
      tool: "slack_list_channels",
      class: "list",
      title: "lists public channels",
      idempotent: true,
      input: async () => ({ limit: 5 }),
      check(result) {
        const output = result.output as { items: unknown[] };
        assert.ok(output.items.length > 0 && output.items.length <= 5, `${output.items.length} channels`);
      },
    },
    {
      tool: "slack_list_users",
      class: "list",
      title: "lists users",
      idempotent: true,
      input: async () => ({ limit: 5 }),
    },
    {
      tool: "slack_post_message",
      class: "write",
      title: "posts a message (deleted again afterwards)",
      idempotent: false,
      applies: { method: "POST", path: /\/chat\.postMessage$/ },
      input: async (context) => ({
        channel: channelFor(context, SLACK_LIVE_ENV.testChannel),
        text: `[switchyard contract] ${context.runId}: posted by the contract suite, deleted when the scenario ends.`,
      }),
      check(result) {
        assert.match((result.output as { ts: string }).ts, /^\d+\.\d+$/);
      },
      cleanup: (_connector, context) => deleteMessagesOfRun(context),
    },
  ],
};
