import { WebClient } from "@slack/web-api";
import { startSandbox } from "@switchyard/sandbox";
import { createSlackConnector } from "@switchyard/slack";
import { recordExchanges } from "../lib/recording.js";
import { startReplayServer } from "../lib/replay.js";
import type { ConnectorBench, OutputMeasurement, OverheadSetup } from "./connector-bench.js";

/** conversations.list is Tier 2 (20 a minute): lift the connector's reservoir to measure the pipeline. */
const UNTHROTTLED = { tiers: { 2: { amount: 1_000_000, intervalMs: 60_000 } } } as const;
const LIST = { types: "public_channel", exclude_archived: true, limit: 100 } as const;

/** The bare official client as its docs set it up, retries off (the sandbox README's advice). */
function bareWebClient(apiUrl: string, token: string): WebClient {
  return new WebClient(token, { slackApiUrl: apiUrl, retryConfig: { retries: 0 } });
}

function scenarios(apiUrl: string, token: string) {
  const connector = createSlackConnector({ botToken: token, apiUrl, rateLimits: UNTHROTTLED });
  const web = bareWebClient(apiUrl, token);
  return {
    connector,
    list: [
      {
        name: "slack_list_channels (up to 100 channels)",
        bareClient: "WebClient conversations.list",
        switchyard: () => connector.call("slack_list_channels", { limit: 100 }),
        bare: () => web.conversations.list(LIST),
      },
    ],
  };
}

async function slackSandbox() {
  return startSandbox({ upstreams: ["slack"], options: { slack: { rateLimits: false } } });
}

const env = (sandbox: Awaited<ReturnType<typeof slackSandbox>>) => ({
  apiUrl: sandbox.env.SLACK_API_URL as string,
  token: sandbox.env.SLACK_BOT_TOKEN as string,
});

export const slackBench: ConnectorBench = {
  id: "slack",
  packageName: "@switchyard/slack",
  listing: () => createSlackConnector({}),

  async overhead({ fixedServer }): Promise<OverheadSetup> {
    const sandbox = await slackSandbox();
    const { apiUrl, token } = env(sandbox);
    if (!fixedServer) {
      const { connector, list } = scenarios(apiUrl, token);
      return {
        upstream: "sandbox (MSW handlers over node:http, same process)",
        scenarios: list,
        async close() {
          await connector.close();
          await sandbox.close();
        },
      };
    }
    const replay = await startReplayServer(apiUrl, async (url) => {
      const { connector, list } = scenarios(`${url}/`, token);
      for (const scenario of list) {
        await scenario.switchyard();
        await scenario.bare();
      }
      await connector.close();
    });
    await sandbox.close();
    const { connector, list } = scenarios(`${replay.server.url}${replay.mountPath}/`, token);
    return {
      upstream: "fixed-body node:http server (separate process)",
      scenarios: list,
      upstreamRequests: () => replay.server.ask<number>("requests"),
      notes: [
        "slack: the connector's Tier 2 reservoir (20 conversations.list calls a minute) is lifted with the `rateLimits` setting so the pipeline, not Slack's budget, is measured; the bucket itself stays in the path.",
      ],
      async close() {
        await connector.close();
        await replay.server.close();
      },
    };
  },

  async outputs(): Promise<OutputMeasurement[]> {
    const sandbox = await slackSandbox();
    try {
      const { apiUrl, token } = env(sandbox);
      let result: Awaited<ReturnType<ReturnType<typeof createSlackConnector>["call"]>> | undefined;
      const routes = await recordExchanges(apiUrl, async (url) => {
        const connector = createSlackConnector({ botToken: token, apiUrl: `${url}/` });
        // Public and private, archived included: the sandbox has 120 channels, so 100 fill one page.
        result = await connector.call("slack_list_channels", {
          limit: 100,
          includePrivate: true,
          excludeArchived: false,
        });
        await connector.close();
      });
      if (!result) throw new Error("slack_list_channels produced no result");
      return [
        {
          call: "slack_list_channels (100 channels)",
          items: (result.output.items as unknown[]).length,
          truncated: result.metadata.truncated,
          hasCursor: typeof result.output.nextCursor === "string",
          output: result.output,
          rawUpstream: routes.map((route) => route.body).join(""),
        },
      ];
    } finally {
      await sandbox.close();
    }
  },
};
