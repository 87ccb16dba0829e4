import assert from "node:assert/strict";
import type { CallResult, ConnectorInstance } from "@switchyard/core";
import { createGithubConnector, githubSettingsFromEnv } from "@switchyard/github";
import { githubUpstream } from "@switchyard/sandbox";
import type { ContractConnector, ScenarioContext } from "./contract-connector.js";

/**
 * GitHub: the fake is the sandbox's GitHub (seeded org `acme`, repository `acme/api` with 275 issues and PRs);
 * live reads go to `CONTRACT_GITHUB_READ_REPO` (default `octocat/Hello-World`, public), live writes only to
 * `CONTRACT_GITHUB_TEST_REPO`, and every issue a write scenario opens is closed again (`not_planned`).
 */

export const GITHUB_LIVE_ENV = {
  token: "GITHUB_TOKEN",
  readRepo: "CONTRACT_GITHUB_READ_REPO",
  testRepo: "CONTRACT_GITHUB_TEST_REPO",
} as const;

const DEFAULT_LIVE_READ_REPO = "octocat/Hello-World";

function splitRepo(value: string, variable: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = value.trim().split("/");
  if (!owner || !repo || rest.length > 0)
    throw new TypeError(`${variable} must be owner/repo, got "${value}".`);
  return { owner, repo };
}

/** The repository read scenarios use: seeded `acme/api` on the fakes, the configured one live. */
function readRepo(context: ScenarioContext) {
  if (context.target !== "live") return { owner: "acme", repo: "api" };
  return splitRepo(
    context.env[GITHUB_LIVE_ENV.readRepo]?.trim() || DEFAULT_LIVE_READ_REPO,
    GITHUB_LIVE_ENV.readRepo,
  );
}

/** The repository write scenarios use: seeded `acme/web` on the fakes, CONTRACT_GITHUB_TEST_REPO live. */
function writeRepo(context: ScenarioContext) {
  if (context.target !== "live") return { owner: "acme", repo: "web" };
  return splitRepo(context.env[GITHUB_LIVE_ENV.testRepo] ?? "", GITHUB_LIVE_ENV.testRepo);
}

/** Closes an issue a write scenario opened (GitHub has no issue deletion over REST). */
async function closeIssue(
  connector: ConnectorInstance,
  repo: { owner: string; repo: string },
  number: number,
): Promise<void> {
  await connector.call(
    "github_update_issue",
    { ...repo, number, state: "closed", stateReason: "not_planned" },
    { deadlineMs: 15_000 },
  );
}

const numberOf = (result: CallResult) => (result.output as { number: number }).number;

export const githubContract: ContractConnector = {
  id: "github",
  packageName: "@switchyard/github",
  fake: { name: "github", liveBaseUrl: "https://api.github.com", upstream: githubUpstream, registered: true },
  targets: ["mock", "sandbox", "live"],
  live: {
    read: [GITHUB_LIVE_ENV.token],
    write: [GITHUB_LIVE_ENV.token, GITHUB_LIVE_ENV.testRepo],
    apiBase: (env) => env.GITHUB_API_URL?.trim().replace(/\/+$/, "") || "https://api.github.com",
    hosts: (env) => [new URL(githubContract.live?.apiBase(env) ?? "https://api.github.com").hostname],
  },
  create: (env, options) => createGithubConnector(githubSettingsFromEnv(env as NodeJS.ProcessEnv, options)),
  tools: [
    {
      tool: "github_get_repository",
      class: "read",
      title: "reads a repository",
      idempotent: true,
      input: async (context) => readRepo(context),
      check(result, context) {
        const { owner, repo } = readRepo(context);
        assert.equal(
          (result.output as { fullName: string }).fullName.toLowerCase(),
          `${owner}/${repo}`.toLowerCase(),
        );
      },
    },
    {
      tool: "github_get_issue",
      class: "read",
      title: "reads an issue with its comments",
      idempotent: true,
      async input(context, connector) {
        const repo = readRepo(context);
        if (context.target !== "live") return { ...repo, number: 1 };
        // Live: the newest issue of the read repository.
        const list = await connector.call(
          "github_list_issues",
          { ...repo, state: "all", limit: 1 },
          { deadlineMs: 15_000 },
        );
        const first = (list.output as { items: { number: number }[] }).items[0];
        if (!first) throw new Error(`${repo.owner}/${repo.repo} has no issues to read.`);
        return { ...repo, number: first.number };
      },
    },
    {
      tool: "github_list_issues",
      class: "list",
      title: "lists issues and pages on with the cursor",
      idempotent: true,
      input: async (context) => ({ ...readRepo(context), state: "all", limit: 5 }),
      check(result) {
        const output = result.output as { items: unknown[]; nextCursor: string | null };
        assert.ok(output.items.length > 0 && output.items.length <= 5, `${output.items.length} items`);
      },
    },
    {
      tool: "github_list_commits",
      class: "list",
      title: "lists commits",
      idempotent: true,
      input: async (context) => ({ ...readRepo(context), limit: 3 }),
    },
    {
      tool: "github_search_issues",
      class: "list",
      title: "searches issues in one repository",
      idempotent: true,
      async input(context) {
        const { owner, repo } = readRepo(context);
        return { query: `repo:${owner}/${repo} is:issue`, limit: 3 };
      },
    },
    {
      tool: "github_create_issue",
      class: "write",
      title: "opens an issue (closed again afterwards)",
      idempotent: false,
      applies: { method: "POST", path: /^\/repos\/[^/]+\/[^/]+\/issues$/ },
      async input(context) {
        return {
          ...writeRepo(context),
          title: `[switchyard contract] ${context.runId}`,
          body: "Opened by the Switchyard contract suite; it closes this issue when the scenario ends.",
        };
      },
      check(result) {
        assert.ok(numberOf(result) > 0);
      },
      cleanup: (connector, context) => closeIssuesOfRun(connector, context),
    },
    {
      tool: "github_add_comment",
      class: "write",
      title: "comments on an issue it opened (closed again afterwards)",
      idempotent: false,
      applies: { method: "POST", path: /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/ },
      async input(context, connector) {
        const repo = writeRepo(context);
        const created = await connector.call(
          "github_create_issue",
          { ...repo, title: `[switchyard contract] ${context.runId} (comment)` },
          { deadlineMs: 15_000 },
        );
        return { ...repo, number: numberOf(created), body: `Comment from ${context.runId}.` };
      },
      // The comment stays on the issue, which is closed.
      cleanup: (connector, context) => closeIssuesOfRun(connector, context),
    },
  ],
};

/** Closes every open issue this run opened in the write repository (found by its run id in the title). */
async function closeIssuesOfRun(connector: ConnectorInstance, context: ScenarioContext): Promise<void> {
  const repo = writeRepo(context);
  const found = await connector.call(
    "github_list_issues",
    { ...repo, state: "open", limit: 50, sort: "created", direction: "desc" },
    { deadlineMs: 15_000 },
  );
  for (const issue of (found.output as { items: { number: number; title: string }[] }).items) {
    if (issue.title.includes(context.runId)) await closeIssue(connector, repo, issue.number);
  }
}
