import assert from "node:assert/strict";
import type { ConnectorInstance } from "@switchyard/core";
import { createJiraConnector, jiraSettingsFromEnv } from "@switchyard/jira";
import { jiraUpstream } from "@switchyard/sandbox";
import type { ContractConnector, ScenarioContext } from "./contract-connector.js";

/**
 * Jira Cloud: the fake is the sandbox's Jira site (project OPS with 300 issues, OPS-1 fixed), reached with
 * API-token Basic auth (the fake's OAuth variables are left out, so a fault hits the tool's request and not
 * a token refresh). Live uses JIRA_BASE_URL + JIRA_EMAIL + JIRA_API_TOKEN; reads go to
 * CONTRACT_JIRA_READ_PROJECT, writes only to CONTRACT_JIRA_TEST_PROJECT, and every issue a scenario created is
 * deleted again (`DELETE /rest/api/3/issue/{key}`: the account needs the Delete Issues permission there).
 */

export const JIRA_LIVE_ENV = {
  baseUrl: "JIRA_BASE_URL",
  email: "JIRA_EMAIL",
  apiToken: "JIRA_API_TOKEN",
  readProject: "CONTRACT_JIRA_READ_PROJECT",
  testProject: "CONTRACT_JIRA_TEST_PROJECT",
  issueType: "CONTRACT_JIRA_ISSUE_TYPE",
} as const;

const FAKE_SITE = "https://sandbox.atlassian.net";

function project(context: ScenarioContext, variable: string): string {
  if (context.target !== "live") return "OPS";
  const key = context.env[variable]?.trim();
  if (!key) throw new Error(`${variable} is not set.`);
  return key;
}

const siteOf = (env: ScenarioContext["env"]) =>
  (env[JIRA_LIVE_ENV.baseUrl]?.trim() ?? "").replace(/\/+$/, "");

async function newestIssueKey(connector: ConnectorInstance, projectKey: string): Promise<string> {
  const found = await connector.call(
    "jira_search_issues",
    { jql: `project = ${projectKey} ORDER BY created DESC`, limit: 1 },
    { deadlineMs: 15_000 },
  );
  const first = (found.output as { items: { key: string }[] }).items[0];
  if (!first) throw new Error(`Project ${projectKey} has no issue to read.`);
  return first.key;
}

/** Deletes the issues this run created in the test project (found by the run id in the summary). */
async function deleteIssuesOfRun(connector: ConnectorInstance, context: ScenarioContext): Promise<void> {
  if (context.target !== "live") return; // the fake is re-seeded; DELETE is not part of the fake
  const projectKey = project(context, JIRA_LIVE_ENV.testProject);
  const found = await connector.call(
    "jira_search_issues",
    {
      jql: `project = ${projectKey} AND summary ~ "\\"${context.runId}\\"" ORDER BY created DESC`,
      limit: 50,
    },
    { deadlineMs: 15_000 },
  );
  const auth = Buffer.from(
    `${context.env[JIRA_LIVE_ENV.email] ?? ""}:${context.env[JIRA_LIVE_ENV.apiToken] ?? ""}`,
  ).toString("base64");
  for (const issue of (found.output as { items: { key: string }[] }).items) {
    const response = await fetch(`${siteOf(context.env)}/rest/api/3/issue/${encodeURIComponent(issue.key)}`, {
      method: "DELETE",
      headers: { authorization: `Basic ${auth}`, accept: "application/json" },
      signal: AbortSignal.timeout(15_000),
    });
    if (response.status !== 204 && response.status !== 404) {
      throw new Error(`cleanup: DELETE ${issue.key} answered HTTP ${response.status}`);
    }
  }
}

export const jiraContract: ContractConnector = {
  id: "jira",
  packageName: "@switchyard/jira",
  fake: {
    name: "jira",
    liveBaseUrl: FAKE_SITE,
    upstream: jiraUpstream,
    registered: true,
    env: (env) => ({
      JIRA_BASE_URL: env.JIRA_BASE_URL ?? "",
      JIRA_EMAIL: env.JIRA_EMAIL ?? "",
      JIRA_API_TOKEN: env.JIRA_API_TOKEN ?? "",
    }),
  },
  targets: ["mock", "sandbox", "live"],
  live: {
    read: [JIRA_LIVE_ENV.baseUrl, JIRA_LIVE_ENV.email, JIRA_LIVE_ENV.apiToken],
    write: [JIRA_LIVE_ENV.baseUrl, JIRA_LIVE_ENV.email, JIRA_LIVE_ENV.apiToken, JIRA_LIVE_ENV.testProject],
    apiBase: siteOf,
    hosts: (env) => (siteOf(env) ? [new URL(siteOf(env)).hostname] : []),
  },
  create: (env, options) => createJiraConnector(jiraSettingsFromEnv(env as NodeJS.ProcessEnv, options)),
  tools: [
    {
      tool: "jira_get_issue",
      class: "read",
      title: "reads an issue with its comments",
      idempotent: true,
      liveEnv: [JIRA_LIVE_ENV.readProject],
      input: async (context, connector) => ({
        issueKey:
          context.target === "live"
            ? await newestIssueKey(connector, project(context, JIRA_LIVE_ENV.readProject))
            : "OPS-1",
      }),
      check(result, context) {
        if (context.target !== "live")
          assert.equal((result.output as { issue: { key: string } }).issue.key, "OPS-1");
      },
    },
    {
      tool: "jira_get_project",
      class: "read",
      title: "reads a project",
      idempotent: true,
      liveEnv: [JIRA_LIVE_ENV.readProject],
      input: async (context) => ({ projectKey: project(context, JIRA_LIVE_ENV.readProject) }),
    },
    {
      tool: "jira_search_issues",
      class: "list",
      title: "searches a project's issues with JQL",
      idempotent: true,
      liveEnv: [JIRA_LIVE_ENV.readProject],
      input: async (context) => ({
        jql: `project = ${project(context, JIRA_LIVE_ENV.readProject)} ORDER BY created DESC`,
        limit: 5,
      }),
      check(result) {
        const output = result.output as { items: unknown[] };
        assert.ok(output.items.length > 0 && output.items.length <= 5, `${output.items.length} issues`);
      },
    },
    {
      tool: "jira_list_projects",
      class: "list",
      title: "lists projects",
      idempotent: true,
      input: async () => ({ limit: 5 }),
    },
    {
      tool: "jira_create_issue",
      class: "write",
      title: "creates an issue (deleted again afterwards)",
      idempotent: false,
      applies: { method: "POST", path: /\/rest\/api\/3\/issue$/ },
      input: async (context) => ({
        projectKey: project(context, JIRA_LIVE_ENV.testProject),
        issueType: context.env[JIRA_LIVE_ENV.issueType]?.trim() || "Task",
        summary: `[switchyard contract] ${context.runId}`,
        description:
          "Created by the Switchyard contract suite; it deletes this issue when the scenario ends.",
      }),
      check(result) {
        assert.match((result.output as { key: string }).key, /^[A-Z][A-Z0-9]*-\d+$/);
      },
      cleanup: (connector, context) => deleteIssuesOfRun(connector, context),
    },
  ],
};
