import { readFileSync } from "node:fs";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createGithubConnector } from "../src/github-connector.js";
import { githubSettingsFromEnv } from "../src/github-settings.js";
import { VERSION } from "../src/version.js";
import { CANARY_TOKEN, connector, failure, fixture, githubHeaders } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const TOOL_NAMES = [
  "github_add_comment",
  "github_create_issue",
  "github_create_pull_request",
  "github_get_file_contents",
  "github_get_issue",
  "github_get_pull_request",
  "github_get_repository",
  "github_list_commits",
  "github_list_issues",
  "github_list_pull_requests",
  "github_list_repositories",
  "github_search_code",
  "github_search_issues",
  "github_update_issue",
];

describe("connector", () => {
  it("builds and lists tools without any credential", () => {
    const github = createGithubConnector(githubSettingsFromEnv({}));
    expect(github.id).toBe("github");
    expect(github.tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    expect(github.writesAllowed).toBe(false);
    for (const tool of github.describeTools()) {
      expect(tool.description.length, tool.name).toBeLessThanOrEqual(300);
      expect(tool.outputSchema).toHaveProperty("properties");
    }
  });

  it("fails a call with credentials_missing naming GITHUB_TOKEN and the App variables", async () => {
    const github = createGithubConnector(githubSettingsFromEnv({}));
    const failed = await failure(github.call("github_get_repository", { owner: "acme", repo: "api" }));
    expect(failed.code).toBe("credentials_missing");
    for (const name of [
      "GITHUB_TOKEN",
      "GITHUB_APP_ID",
      "GITHUB_APP_PRIVATE_KEY",
      "GITHUB_APP_INSTALLATION_ID",
    ]) {
      expect(failed.message).toContain(name);
    }
    expect(seen).toHaveLength(0);
  });

  it("names the missing variables of a half-configured GitHub App", async () => {
    const github = createGithubConnector(
      githubSettingsFromEnv({ GITHUB_APP_ID: "1", GITHUB_TOKEN: "ghp_unused" }),
    );
    const failed = await failure(github.call("github_get_repository", { owner: "acme", repo: "api" }));
    expect(failed.code).toBe("credentials_missing");
    expect(failed.message).toContain("GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID");
  });

  it("reads settings from the environment", () => {
    const settings = githubSettingsFromEnv({
      GITHUB_TOKEN: " ghp_abc ",
      GITHUB_APP_ID: "7",
      GITHUB_APP_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\\nAAA\\n-----END RSA PRIVATE KEY-----",
      GITHUB_APP_INSTALLATION_ID: "42",
      GITHUB_API_URL: "https://ghe.example.com/api/v3/",
      GITHUB_REPOSITORIES: "acme/*, octo/web",
    });
    expect(settings).toMatchObject({
      token: "ghp_abc",
      app: {
        appId: "7",
        installationId: "42",
        privateKey: "-----BEGIN RSA PRIVATE KEY-----\nAAA\n-----END RSA PRIVATE KEY-----",
      },
      apiUrl: "https://ghe.example.com/api/v3/",
      repositories: ["acme/*", "octo/web"],
    });
    expect(settings.credentials).toBeUndefined();
    expect(githubSettingsFromEnv({}, { allowWrites: true }).allowWrites).toBe(true);
  });

  it("talks to GitHub Enterprise Server under its /api/v3 root", async () => {
    server.use(
      http.get("https://ghe.example.com/api/v3/repos/acme/api", () =>
        HttpResponse.json(fixture("repository"), { headers: githubHeaders() }),
      ),
    );
    const github = connector({ apiUrl: "https://ghe.example.com/api/v3/" });
    const { output } = await github.call("github_get_repository", { owner: "acme", repo: "api" });
    expect(output.fullName).toBe("acme/api");
  });

  it("refuses an unusable API URL at construction", () => {
    expect(() => connector({ apiUrl: "ftp://example.com" })).toThrow(/http/);
    expect(() => connector({ apiUrl: "not a url" })).toThrow(/absolute URL/);
  });

  it("keeps VERSION in step with package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});

describe("rate-limit headers", () => {
  it("feed the search bucket from search responses", async () => {
    server.use(
      http.get("https://api.github.com/search/issues", () =>
        HttpResponse.json(fixture("search-issues"), {
          headers: {
            ...githubHeaders({}, "search"),
            "x-ratelimit-limit": "30",
            "x-ratelimit-remaining": "29",
          },
        }),
      ),
    );
    const { metadata } = await connector().call("github_search_issues", { query: "bug" });
    expect(metadata.rateLimit).toMatchObject({ bucket: "search", limit: 30, remaining: 29 });
  });

  it("an exhausted core budget pauses reads and writes until the reset, without sending requests", async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    server.use(
      http.get("https://api.github.com/repos/acme/api", () =>
        HttpResponse.json(fixture("repository"), {
          headers: githubHeaders({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) }),
        }),
      ),
    );
    const github = connector({ allowWrites: true });
    await github.call("github_get_repository", { owner: "acme", repo: "api" });
    const read = await failure(github.call("github_get_repository", { owner: "acme", repo: "api" }));
    expect(read.code).toBe("rate_limited");
    expect(read.retryAfterMs).toBeGreaterThan(3_000_000);
    const write = await failure(
      github.call("github_add_comment", { owner: "acme", repo: "api", number: 1, body: "x" }),
    );
    expect(write.code).toBe("rate_limited");
    expect(seen).toHaveLength(1);
  });
});

describe("doctor probe", () => {
  it("reports the user, classic PAT scopes and the core budget", async () => {
    server.use(
      http.get("https://api.github.com/user", () =>
        HttpResponse.json(
          { login: "octocat", id: 1, type: "User" },
          { headers: githubHeaders({ "x-oauth-scopes": "read:org, workflow" }) },
        ),
      ),
    );
    const diagnosis = await connector().diagnose();
    expect(diagnosis).toMatchObject({
      connector: "github",
      credentialsFound: true,
      reachable: true,
      identity: "octocat",
      scopes: ["read:org", "workflow"],
      rateLimit: { limit: 5000, remaining: 4999 },
    });
    expect(diagnosis.problems).toEqual([
      expect.objectContaining({ fix: expect.stringContaining("repo scope") }),
    ]);
  });

  it("reports a rejected token as a problem, never the token", async () => {
    server.use(
      http.get("https://api.github.com/user", () =>
        HttpResponse.json(fixture("bad-credentials"), { status: 401, headers: githubHeaders() }),
      ),
    );
    const diagnosis = await connector().diagnose();
    expect(diagnosis.reachable).toBe(true);
    expect(diagnosis.problems[0]?.fix).toMatch(/renew/);
    expect(JSON.stringify(diagnosis)).not.toContain(CANARY_TOKEN.slice(4));
  });

  it("reports missing credentials without any request", async () => {
    const diagnosis = await createGithubConnector(githubSettingsFromEnv({})).diagnose();
    expect(diagnosis).toMatchObject({ credentialsFound: false, reachable: false });
    expect(diagnosis.problems[0]?.message).toContain("GITHUB_TOKEN");
    expect(seen).toHaveLength(0);
  });
});
