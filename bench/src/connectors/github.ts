import { Octokit } from "@octokit/rest";
import { createGithubConnector } from "@switchyard/github";
import { GITHUB_SANDBOX_TOKEN, startSandbox } from "@switchyard/sandbox";
import { recordExchanges } from "../lib/recording.js";
import { startReplayServer } from "../lib/replay.js";
import type { ConnectorBench, OutputMeasurement, OverheadSetup } from "./connector-bench.js";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const REPO = { owner: "acme", repo: "api" } as const;

/** The bare official client as a developer would set it up: @octokit/rest, no plugins added. */
function bareOctokit(baseUrl: string, token: string): Octokit {
  return new Octokit({ auth: token, baseUrl, log: quiet });
}

/** Each scenario: a Switchyard tool call and the one request octokit sends for the same data. */
function scenarios(url: string, token: string) {
  // Pipeline overhead, not the connector's own pacing: the read bucket has no reservoir anyway.
  const connector = createGithubConnector({ token, apiUrl: url });
  const octokit = bareOctokit(url, token);
  return {
    connector,
    list: [
      {
        name: "github_get_repository (1 object)",
        bareClient: "octokit repos.get",
        switchyard: () => connector.call("github_get_repository", REPO),
        bare: () => octokit.rest.repos.get(REPO),
      },
      {
        name: "github_list_issues (30 issues)",
        bareClient: "octokit issues.listForRepo",
        switchyard: () => connector.call("github_list_issues", { ...REPO, limit: 30 }),
        bare: () =>
          octokit.rest.issues.listForRepo({
            ...REPO,
            state: "open",
            sort: "created",
            direction: "desc",
            per_page: 30,
          }),
      },
    ],
  };
}

export const githubBench: ConnectorBench = {
  id: "github",
  packageName: "@switchyard/github",
  listing: () => createGithubConnector({}),
  compareWithSandbox: true,

  async overhead({ fixedServer }): Promise<OverheadSetup> {
    // Thousands of calls: lift the fake's 5,000-per-hour budget so no call meets a 403.
    const sandbox = await startSandbox({
      upstreams: ["github"],
      options: { github: { rateLimits: { core: 1_000_000 } } },
    });
    const token = GITHUB_SANDBOX_TOKEN;
    if (!fixedServer) {
      const { connector, list } = scenarios(sandbox.urls.github, token);
      return {
        upstream: "sandbox (MSW handlers over node:http, same process)",
        scenarios: list.slice(0, 1),
        async close() {
          await connector.close();
          await sandbox.close();
        },
      };
    }
    // Record one answer per route from the sandbox (both clients' requests), then replay them.
    const replay = await startReplayServer(sandbox.urls.github, async (url) => {
      const { connector, list } = scenarios(url, token);
      for (const scenario of list) {
        await scenario.switchyard();
        await scenario.bare();
      }
      await connector.close();
    });
    await sandbox.close();
    const { connector, list } = scenarios(`${replay.server.url}${replay.mountPath}`, token);
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
    const sandbox = await startSandbox({ upstreams: ["github"] });
    try {
      let result: Awaited<ReturnType<ReturnType<typeof createGithubConnector>["call"]>> | undefined;
      const routes = await recordExchanges(sandbox.urls.github, async (url) => {
        const connector = createGithubConnector({ token: GITHUB_SANDBOX_TOKEN, apiUrl: url });
        result = await connector.call("github_list_issues", { ...REPO, limit: 30 });
        await connector.close();
      });
      if (!result) throw new Error("github_list_issues produced no result");
      const items = (result.output.items as unknown[]).length;
      // The fake's links point at the loopback sandbox; count them as they read on github.com.
      const origin = routes[0]?.origin ?? "";
      const asOnGithub = (text: string) =>
        text
          .replaceAll(`${origin}/github/repos/`, "https://api.github.com/repos/")
          .replaceAll(`${origin}/github/`, "https://github.com/");
      return [
        {
          call: "github_list_issues (30 issues)",
          items,
          truncated: result.metadata.truncated,
          hasCursor: typeof result.output.nextCursor === "string",
          output: JSON.parse(asOnGithub(JSON.stringify(result.output))),
          rawUpstream: asOnGithub(routes.map((route) => route.body).join("")),
          maxTokens: 3000,
          notes: [
            "github: the sandbox's URLs (http://127.0.0.1:PORT/github/...) are counted as github.com and api.github.com URLs, as a real result would carry them.",
          ],
        },
      ];
    } finally {
      await sandbox.close();
    }
  },
};
