import { createJiraConnector } from "@switchyard/jira";
import { startSandbox } from "@switchyard/sandbox";
import { Version3Client } from "jira.js";
import { recordExchanges } from "../lib/recording.js";
import { startReplayServer } from "../lib/replay.js";
import type { ConnectorBench, OutputMeasurement, OverheadSetup } from "./connector-bench.js";

const JQL = "project = OPS ORDER BY created DESC";
/** The fields jira_search_issues asks for (the connector's SUMMARY_FIELDS), so both sides fetch the same. */
const SUMMARY_FIELDS = [
  "summary",
  "status",
  "issuetype",
  "priority",
  "assignee",
  "reporter",
  "project",
  "parent",
  "labels",
  "resolution",
  "created",
  "updated",
];

interface JiraEnv {
  readonly baseUrl: string;
  readonly email: string;
  readonly apiToken: string;
}

/** The bare official client as its docs set it up: jira.js 5.4.0, Basic auth with an API token. */
function bareJira(env: JiraEnv): Version3Client {
  return new Version3Client({
    host: env.baseUrl,
    authentication: { basic: { email: env.email, apiToken: env.apiToken } },
  });
}

function scenarios(env: JiraEnv) {
  const connector = createJiraConnector({ baseUrl: env.baseUrl, email: env.email, apiToken: env.apiToken });
  const jira = bareJira(env);
  return {
    connector,
    list: [
      {
        name: "jira_search_issues (25 issues)",
        bareClient: "jira.js searchForIssuesUsingJqlEnhancedSearchPost",
        switchyard: () => connector.call("jira_search_issues", { jql: JQL, limit: 25 }),
        bare: () =>
          jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
            jql: JQL,
            maxResults: 25,
            fields: SUMMARY_FIELDS,
          }),
      },
    ],
  };
}

async function jiraSandbox() {
  // Thousands of calls a second: lift the fake's burst limit (100 a second per endpoint).
  return startSandbox({
    upstreams: ["jira"],
    options: { jira: { rateLimits: { burst: { GET: 1_000_000, POST: 1_000_000 } } } },
  });
}

const envOf = (
  sandbox: Awaited<ReturnType<typeof jiraSandbox>>,
  baseUrl = sandbox.env.JIRA_BASE_URL,
): JiraEnv => ({
  baseUrl: baseUrl as string,
  email: sandbox.env.JIRA_EMAIL as string,
  apiToken: sandbox.env.JIRA_API_TOKEN as string,
});

export const jiraBench: ConnectorBench = {
  id: "jira",
  packageName: "@switchyard/jira",
  listing: () => createJiraConnector({}),

  async overhead({ fixedServer }): Promise<OverheadSetup> {
    const sandbox = await jiraSandbox();
    if (!fixedServer) {
      const { connector, list } = scenarios(envOf(sandbox));
      return {
        upstream: "sandbox (MSW handlers over node:http, same process)",
        scenarios: list,
        async close() {
          await connector.close();
          await sandbox.close();
        },
      };
    }
    const replay = await startReplayServer(sandbox.env.JIRA_BASE_URL as string, async (url) => {
      const { connector, list } = scenarios(envOf(sandbox, url));
      for (const scenario of list) {
        await scenario.switchyard();
        await scenario.bare();
      }
      await connector.close();
    });
    const env = envOf(sandbox, `${replay.server.url}${replay.mountPath}`);
    await sandbox.close();
    const { connector, list } = scenarios(env);
    return {
      upstream: "fixed-body node:http server (separate process)",
      scenarios: list,
      upstreamRequests: () => replay.server.ask<number>("requests"),
      async close() {
        await connector.close();
        await replay.server.close();
      },
    };
  },

  async outputs(): Promise<OutputMeasurement[]> {
    const sandbox = await jiraSandbox();
    try {
      let result: Awaited<ReturnType<ReturnType<typeof createJiraConnector>["call"]>> | undefined;
      const routes = await recordExchanges(sandbox.env.JIRA_BASE_URL as string, async (url) => {
        const connector = createJiraConnector(envOf(sandbox, url));
        result = await connector.call("jira_search_issues", { jql: JQL, limit: 50 });
        await connector.close();
      });
      if (!result) throw new Error("jira_search_issues produced no result");
      return [
        {
          call: "jira_search_issues (50 issues)",
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
