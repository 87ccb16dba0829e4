import { readFileSync } from "node:fs";
import { type CredentialProvider, registerCredentialResolver } from "@switchyard/core";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createJiraConnector } from "../src/jira-connector.js";
import { jiraSettingsFromEnv } from "../src/jira-settings.js";
import { VERSION } from "../src/version.js";
import { CANARY_TOKEN, connector, EMAIL, failure, fixture, jiraHeaders, SITE } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const TOOL_NAMES = [
  "jira_add_comment",
  "jira_assign_issue",
  "jira_create_issue",
  "jira_get_issue",
  "jira_get_project",
  "jira_list_projects",
  "jira_search_issues",
  "jira_transition_issue",
  "jira_update_issue",
];

const projectHandlers = (base = SITE) => [
  http.get(`${base}/rest/api/3/project/OPS`, () =>
    HttpResponse.json(fixture("project"), { headers: jiraHeaders() }),
  ),
  http.get(`${base}/rest/api/3/project/OPS/statuses`, () =>
    HttpResponse.json(fixture("project-statuses"), { headers: jiraHeaders() }),
  ),
];

describe("connector", () => {
  it("builds and lists tools without any credential; writes only when allowed", () => {
    const jira = createJiraConnector(jiraSettingsFromEnv({}));
    expect(jira.id).toBe("jira");
    expect(jira.tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    expect(jira.enabledTools().map((tool) => tool.name)).toEqual([
      "jira_get_issue",
      "jira_get_project",
      "jira_list_projects",
      "jira_search_issues",
    ]);
    const writer = createJiraConnector(jiraSettingsFromEnv({}, { allowWrites: true }));
    for (const tool of writer.describeTools()) {
      expect(tool.description.length, tool.name).toBeLessThanOrEqual(300);
      expect(tool.outputSchema).toHaveProperty("properties");
    }
  });

  it("fails a call with credentials_missing naming both ways to authenticate", async () => {
    const failed = await failure(
      createJiraConnector(jiraSettingsFromEnv({})).call("jira_get_project", { projectKey: "OPS" }),
    );
    expect(failed.code).toBe("credentials_missing");
    for (const name of [
      "JIRA_BASE_URL",
      "JIRA_EMAIL",
      "JIRA_API_TOKEN",
      "JIRA_OAUTH_CLIENT_ID",
      "JIRA_OAUTH_REFRESH_TOKEN",
    ]) {
      expect(failed.message).toContain(name);
    }
    expect(seen).toHaveLength(0);
  });

  it("names what an API token lacks, and the missing parts of an OAuth configuration", async () => {
    const noEmail = await failure(
      createJiraConnector(jiraSettingsFromEnv({ JIRA_API_TOKEN: CANARY_TOKEN, JIRA_BASE_URL: SITE })).call(
        "jira_get_project",
        { projectKey: "OPS" },
      ),
    );
    expect(noEmail.code).toBe("credentials_missing");
    expect(noEmail.message).toContain("JIRA_EMAIL");
    const halfOAuth = await failure(
      createJiraConnector(
        jiraSettingsFromEnv({ JIRA_OAUTH_CLIENT_ID: "id", JIRA_API_TOKEN: "unused-token" }),
      ).call("jira_get_project", { projectKey: "OPS" }),
    );
    expect(halfOAuth.code).toBe("credentials_missing");
    expect(halfOAuth.message).toContain("JIRA_OAUTH_CLIENT_SECRET, JIRA_OAUTH_REFRESH_TOKEN");
  });

  it("reads settings from the environment", () => {
    const settings = jiraSettingsFromEnv({
      JIRA_BASE_URL: " https://acme.atlassian.net/ ",
      JIRA_EMAIL: EMAIL,
      JIRA_API_TOKEN: "token-value",
      JIRA_PROJECTS: "OPS, web",
      JIRA_CLOUD_ID: "1324a887-45db-1bf4-1e99-ef0ff456d421",
      JIRA_OAUTH_TOKEN_URL: "http://127.0.0.1:9/oauth/token",
      JIRA_API_GATEWAY_URL: "http://127.0.0.1:9",
    });
    expect(settings).toMatchObject({
      baseUrl: "https://acme.atlassian.net/",
      email: EMAIL,
      apiToken: "token-value",
      projects: ["OPS", "web"],
      cloudId: "1324a887-45db-1bf4-1e99-ef0ff456d421",
      oauthTokenUrl: "http://127.0.0.1:9/oauth/token",
      apiGatewayUrl: "http://127.0.0.1:9",
    });
    expect(settings.oauth).toBeUndefined();
    const oauth = jiraSettingsFromEnv({
      JIRA_OAUTH_CLIENT_ID: "id",
      JIRA_OAUTH_CLIENT_SECRET: "secret",
      JIRA_OAUTH_REFRESH_TOKEN: "rt",
    }).oauth;
    expect(oauth).toMatchObject({ clientId: "id", clientSecret: "secret", refreshToken: "rt" });
    expect(jiraSettingsFromEnv({}, { allowWrites: true, projects: undefined }).allowWrites).toBe(true);
  });

  it("refuses unusable settings at construction", () => {
    expect(() => connector({ baseUrl: "ftp://acme.atlassian.net" })).toThrow(/http/);
    expect(() => connector({ baseUrl: "not a url" })).toThrow(/absolute URL/);
    expect(() => connector({ baseUrl: "https://user:pw@acme.atlassian.net" })).toThrow(/credentials/);
    expect(() => connector({ cloudId: "../x" })).toThrow(/cloud id/);
  });

  it("sends Basic auth to the site", async () => {
    server.use(...projectHandlers());
    await connector().call("jira_get_project", { projectKey: "OPS" });
    expect(seen[0]?.headers.get("authorization")).toBe(
      `Basic ${Buffer.from(`${EMAIL}:${CANARY_TOKEN}`).toString("base64")}`,
    );
    expect(seen[0]?.headers.get("user-agent")).toBe(`switchyard-jira/${VERSION}`);
  });

  it("sends a scoped API token through the gateway when a cloud id is set", async () => {
    const cloudId = "1324a887-45db-1bf4-1e99-ef0ff456d421";
    server.use(...projectHandlers(`https://api.atlassian.com/ex/jira/${cloudId}`));
    const { output } = await connector({ cloudId }).call("jira_get_project", { projectKey: "OPS" });
    expect(new URL(seen[0]?.url ?? "").host).toBe("api.atlassian.com");
    // Links still point at the site people browse.
    expect(output.url).toBe(`${SITE}/browse/OPS`);
  });

  it("resolves an API token held in a secret store", async () => {
    const provider: CredentialProvider = {
      description: "test store",
      get: async () => ({ value: CANARY_TOKEN }),
      invalidate: () => {},
    };
    registerCredentialResolver("test-sm", () => provider);
    server.use(...projectHandlers());
    await connector({ apiToken: "test-sm://jira/prod#token" }).call("jira_get_project", {
      projectKey: "OPS",
    });
    expect(seen[0]?.headers.get("authorization")).toBe(
      `Basic ${Buffer.from(`${EMAIL}:${CANARY_TOKEN}`).toString("base64")}`,
    );
  });

  it("diagnoses with GET /myself: identity and quota", async () => {
    server.use(
      http.get(`${SITE}/rest/api/3/myself`, () =>
        HttpResponse.json(fixture("myself"), {
          headers: jiraHeaders({ "x-ratelimit-limit": "65000", "x-ratelimit-remaining": "64990" }),
        }),
      ),
    );
    const diagnosis = await connector().diagnose();
    expect(diagnosis).toMatchObject({
      connector: "jira",
      credentialsFound: true,
      reachable: true,
      identity: "Mia Krystof (557058:f58131cb-b67d-43c7-b30d-6b58d40bd077) on https://acme.atlassian.net",
      rateLimit: { limit: 65000, remaining: 64990 },
      problems: [],
    });
  });

  it("keeps VERSION in step with package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});
