import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APP_BOT_LOGIN, SANDBOX_INSTALLATION_ID } from "../src/index.js";
import { appJwt, type GithubTestClient, githubSandbox, OUTSIDER_TOKEN } from "./helpers.js";

type Json = Record<string, any>;

let clock = Date.parse("2026-03-01T12:00:00Z");
let gh: GithubTestClient;

beforeAll(async () => {
  gh = await githubSandbox({
    now: () => clock,
    options: { github: { installationTokenTtlSeconds: 600 } },
  });
});
beforeEach(() => {
  gh.sandbox.reset();
});
afterAll(async () => {
  await gh.sandbox.close();
});

describe("GitHub authentication", () => {
  it("401 without a token, with an unknown one, and for expired or revoked ones", async () => {
    const missing = await gh.get("/user", { token: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ message: "Requires authentication", status: "401" });
    for (const token of ["not-a-github-token", "ghp_expired_abc", "github_pat_revoked_1", "gho_oauth"]) {
      const response = await gh.get("/repos/acme/api", { token });
      expect(response.status, token).toBe(401);
      expect(await response.json()).toMatchObject({ message: "Bad credentials" });
      expect(response.headers.get("x-github-request-id")).toMatch(/^[0-9A-F]{4}:/);
    }
    for (const token of ["ghp_anything", "github_pat_11AAAA_xyz", "ghs_server_to_server"]) {
      expect((await gh.get("/repos/acme/api", { token })).status, token).toBe(200);
    }
    const scheme = await fetch(`${gh.api}/user`, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(scheme.status).toBe(401);
  });

  it("GET /user is the token's user; classic PATs report scopes, fine-grained ones do not", async () => {
    const classic = await gh.get("/user");
    expect(await classic.json()).toMatchObject({ login: "sandbox-user", type: "User" });
    expect(classic.headers.get("x-oauth-scopes")).toBe("repo, read:org");
    const fine = await gh.get("/user", { token: "github_pat_fine" });
    expect(fine.headers.get("x-oauth-scopes")).toBeNull();
    const outsider = await gh.get("/user", { token: OUTSIDER_TOKEN });
    expect(await outsider.json()).toMatchObject({ login: "outsider" });
  });
});

describe("GitHub 404, 422, 400 and 409", () => {
  it("404 for unknown repositories, private ones the token cannot see, unknown numbers and trailing slashes", async () => {
    for (const path of [
      "/repos/acme/nope",
      "/repos/acme/api/issues/9999",
      "/repos/acme/api/",
      "/no/such/route",
    ]) {
      const response = await gh.get(path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ message: "Not Found", status: "404" });
    }
    expect((await gh.get("/repos/acme/secret-plans")).status).toBe(200);
    const hidden = await gh.get("/repos/acme/secret-plans", { token: OUTSIDER_TOKEN });
    expect(hidden.status).toBe(404);
    expect((await gh.get("/repos/acme/secret-plans/issues/1", { token: OUTSIDER_TOKEN })).status).toBe(404);
    // GitHub's lookups are case-insensitive.
    expect((await gh.get("/repos/ACME/Api")).status).toBe(200);
  });

  it("422 Validation Failed with errors[] for bad create payloads", async () => {
    const noTitle = await gh.send("POST", "/repos/acme/api/issues", { body: "no title" });
    expect(noTitle.status).toBe(422);
    expect(await noTitle.json()).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "Issue", field: "title", code: "missing_field" }],
      documentation_url: "https://docs.github.com/rest/issues/issues#create-an-issue",
      status: "422",
    });
    const bad = await gh.send("POST", "/repos/acme/api/issues", {
      title: "x",
      assignees: ["nobody-here"],
      milestone: 99,
      labels: "bug",
    });
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as Json;
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { resource: "Issue", field: "labels", code: "invalid" },
        { resource: "Issue", field: "assignees", code: "invalid", value: "nobody-here" },
        { resource: "Issue", field: "milestone", code: "invalid", value: 99 },
      ]),
    );
    const badState = await gh.send("PATCH", "/repos/acme/api/issues/1", { state: "done" });
    expect(badState.status).toBe(422);
    const emptyComment = await gh.send("POST", "/repos/acme/api/issues/1/comments", { body: "" });
    expect(await emptyComment.json()).toMatchObject({
      errors: [{ resource: "IssueComment", field: "body", code: "missing_field" }],
    });
    const badPull = await gh.send("POST", "/repos/acme/api/pulls", {
      title: "x",
      head: "no-such-branch",
      base: "main",
    });
    expect(await badPull.json()).toMatchObject({
      errors: [{ resource: "PullRequest", field: "head", code: "invalid" }],
    });
  });

  it("400 for a body that is not JSON or not an object", async () => {
    const broken = await gh.send("POST", "/repos/acme/api/issues", "{title:");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ message: "Problems parsing JSON" });
    expect((await gh.send("POST", "/repos/acme/api/issues", [1, 2])).status).toBe(400);
  });

  it("400 for an unsupported X-GitHub-Api-Version; the selected version is echoed", async () => {
    const ok = await gh.get("/user", { headers: { "x-github-api-version": "2026-03-10" } });
    expect(ok.headers.get("x-github-api-version-selected")).toBe("2026-03-10");
    const bad = await gh.get("/user", { headers: { "x-github-api-version": "2019-01-01" } });
    expect(bad.status).toBe(400);
  });
});

describe("GitHub rate limits", () => {
  let limited: GithubTestClient;
  beforeAll(async () => {
    limited = await githubSandbox({
      now: () => clock,
      options: { github: { rateLimits: { core: 5, search: 2 } } },
    });
  });
  afterAll(async () => {
    await limited.sandbox.close();
  });

  it("x-ratelimit-* count down per token and per resource; the exhausted budget answers 403 with remaining 0", async () => {
    const gh = limited;
    const seen: Json[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await gh.get("/repos/acme/api");
      expect(response.status).toBe(200);
      seen.push(
        Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("x-ratelimit-"))),
      );
    }
    expect(seen.map((headers) => Number(headers["x-ratelimit-remaining"]))).toEqual([4, 3, 2, 1, 0]);
    expect(seen.map((headers) => Number(headers["x-ratelimit-used"]))).toEqual([1, 2, 3, 4, 5]);
    expect(seen[0]).toMatchObject({ "x-ratelimit-limit": "5", "x-ratelimit-resource": "core" });
    expect(Number(seen[0]?.["x-ratelimit-reset"])).toBe(Math.floor(clock / 1000) + 3600);

    const refused = await gh.get("/repos/acme/api/issues");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(((await refused.json()) as Json).message).toMatch(/^API rate limit exceeded/);

    // Another token has its own budget; GET /rate_limit does not count.
    const other = await gh.get("/repos/acme/api", { token: "ghp_other" });
    expect(other.headers.get("x-ratelimit-remaining")).toBe("4");
    const status = (await (await gh.get("/rate_limit")).json()) as Json;
    expect(status.resources.core).toMatchObject({ limit: 5, used: 5, remaining: 0 });
    expect(status.resources.search).toMatchObject({ limit: 2, used: 0, remaining: 2 });

    // Search has its own budget: still available while core is spent.
    const search = await gh.get("/search/issues?q=repo:acme/api");
    expect(search.status).toBe(200);
    expect(search.headers.get("x-ratelimit-resource")).toBe("search");
    expect(search.headers.get("x-ratelimit-remaining")).toBe("1");

    // A new window starts at the reset time.
    clock += 3600_000;
    const fresh = await gh.get("/repos/acme/api");
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("x-ratelimit-remaining")).toBe("4");
  });
});

describe("GitHub App installation tokens", () => {
  it("exchanges an RS256 JWT for an installation token that works, sees the installation's repositories and expires", async () => {
    const app = gh.sandbox.state.github.appCredentials();
    const jwt = appJwt(app.privateKey, {}, clock);
    const exchange = await gh.send("POST", `/app/installations/${app.installationId}/access_tokens`, {}, jwt);
    expect(exchange.status).toBe(201);
    const body = (await exchange.json()) as Json;
    expect(body.token).toMatch(/^ghs_/);
    expect(Date.parse(body.expires_at)).toBe(Math.floor(clock / 1000) * 1000 + 600_000);

    const repos = (await (await gh.get("/installation/repositories", { token: body.token })).json()) as Json;
    expect(repos.repositories.map((repo: Json) => repo.full_name).sort()).toEqual([
      "acme/api",
      "acme/secret-plans",
      "acme/web",
    ]);
    expect((await gh.get("/repos/octo/hello-world", { token: body.token })).status).toBe(404);
    expect((await gh.get("/user", { token: body.token })).status).toBe(403);
    const created = (await (
      await gh.send("POST", "/repos/acme/api/issues", { title: "From the app" }, body.token)
    ).json()) as Json;
    expect(created.user.login).toBe(APP_BOT_LOGIN);
    // A PAT cannot list installation repositories.
    expect((await gh.get("/installation/repositories")).status).toBe(403);

    clock += 601_000;
    const expired = await gh.get("/repos/acme/api", { token: body.token });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ message: "Bad credentials" });
  });

  it("narrows a token to named repositories", async () => {
    const app = gh.sandbox.state.github.appCredentials();
    const response = await gh.send(
      "POST",
      `/app/installations/${SANDBOX_INSTALLATION_ID}/access_tokens`,
      { repositories: ["web"] },
      appJwt(app.privateKey, {}, clock),
    );
    const body = (await response.json()) as Json;
    expect(body.repository_selection).toBe("selected");
    expect((await gh.get("/repos/acme/web", { token: body.token })).status).toBe(200);
    expect((await gh.get("/repos/acme/api", { token: body.token })).status).toBe(404);
  });

  it("refuses missing, malformed, expired, too-long, wrongly signed and foreign-issuer JWTs", async () => {
    const app = gh.sandbox.state.github.appCredentials();
    const path = `/app/installations/${SANDBOX_INSTALLATION_ID}/access_tokens`;
    const now = Math.floor(clock / 1000);
    const { privateKey: otherKey } = (await import("node:crypto")).generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const cases: [string | null, string][] = [
      [null, "A JSON web token could not be decoded"],
      ["ghp_not_a_jwt", "A JSON web token could not be decoded"],
      [
        appJwt(app.privateKey, { iat: now - 700, exp: now - 100 }, clock),
        "'Expiration time' claim ('exp') must be",
      ],
      [appJwt(app.privateKey, { exp: now + 3600 }, clock), "too far in the future"],
      [appJwt(otherKey, {}, clock), "A JSON web token could not be decoded"],
      [appJwt(app.privateKey, { iss: 999 }, clock), "Integration not found"],
    ];
    for (const [token, message] of cases) {
      const response = await gh.send("POST", path, {}, token);
      expect(response.status, message).toBe(401);
      expect(((await response.json()) as Json).message).toContain(message);
    }
    const unknown = await gh.send(
      "POST",
      "/app/installations/7/access_tokens",
      {},
      appJwt(app.privateKey, {}, clock),
    );
    expect(unknown.status).toBe(404);
  });
});

describe("GitHub Enterprise Server prefix", () => {
  it("serves the same API under /api/v3, with links and URLs on that prefix", async () => {
    const ghes = `${gh.api}/api/v3`;
    const response = await gh.get(`${ghes}/repos/acme/api/issues?state=all&per_page=100`);
    expect(response.status).toBe(200);
    expect(response.headers.get("link")).toContain(`<${ghes}/repositories/`);
    const issues = (await response.json()) as Json[];
    expect(issues[0]?.url).toBe(`${ghes}/repos/acme/api/issues/${issues[0]?.number}`);
    expect(issues[0]?.html_url).toMatch(new RegExp(`^${gh.api}/acme/api/`));
    const created = await gh.send("POST", `${ghes}/repos/acme/web/issues`, { title: "Via GHES" });
    expect(created.status).toBe(201);
    // Same state behind both roots.
    const viaRoot = (await (await gh.get(`/repos/acme/web/issues?per_page=1`)).json()) as Json[];
    expect(viaRoot[0]?.title).toBe("Via GHES");
  });
});
