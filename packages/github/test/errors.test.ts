import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { API, CANARY_TOKEN, connector, failure, fixture, githubHeaders } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const repo = { owner: "acme", repo: "api" };
const error = (status: number, body: unknown, extra: Record<string, string> = {}) =>
  HttpResponse.json(body as any, { status, headers: githubHeaders(extra) });

describe("error mapping", () => {
  it("401 with a PAT: unauthenticated after one re-get, without re-sending the same rejected token", async () => {
    let gets = 0;
    let invalidations = 0;
    server.use(http.get(`${API}/repos/acme/api`, () => error(401, fixture("bad-credentials"))));
    const github = connector({
      credentials: {
        description: "test token",
        get: async () => {
          gets += 1;
          return { value: CANARY_TOKEN };
        },
        invalidate: () => {
          invalidations += 1;
        },
      },
    });
    const failed = await failure(github.call("github_get_repository", repo));
    expect(failed.code).toBe("unauthenticated");
    expect(failed.retryable).toBe(false);
    expect(gets).toBe(2);
    expect(invalidations).toBe(1);
    // The provider had nothing newer: sending the rejected token again would only be refused again.
    expect(seen).toHaveLength(1);
    expect(failed.upstream).toMatchObject({ status: 401 });
  });

  it("403 secondary rate limit with retry-after waits, then succeeds", async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/repos/acme/api`, () => {
        calls += 1;
        return calls === 1
          ? error(403, fixture("secondary-rate-limit"), { "retry-after": "0.02" })
          : HttpResponse.json(fixture("repository"), { headers: githubHeaders() });
      }),
    );
    const { output, metadata } = await connector().call("github_get_repository", repo);
    expect(output.fullName).toBe("acme/api");
    expect(metadata.attempts).toBe(2);
  });

  it("403 secondary rate limit without retry-after waits the fallback, then succeeds", async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/repos/acme/api`, () => {
        calls += 1;
        return calls === 1
          ? error(403, fixture("secondary-rate-limit"))
          : HttpResponse.json(fixture("repository"), { headers: githubHeaders() });
      }),
    );
    const { metadata } = await connector().call("github_get_repository", repo);
    expect(metadata.attempts).toBe(2);
  });

  it("403 secondary rate limit with a huge wait ends the call at once with rate_limited", async () => {
    server.use(
      http.get(`${API}/repos/acme/api`, () =>
        error(403, fixture("secondary-rate-limit"), { "retry-after": "3600" }),
      ),
    );
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(failed.code).toBe("rate_limited");
    expect(failed.retryAfterMs).toBe(3_600_000);
    expect(failed.upstream?.code).toBe("secondary_rate_limit");
    expect(seen).toHaveLength(1);
  });

  it("secondary rate limit without retry-after defaults to GitHub's one minute", async () => {
    server.use(http.get(`${API}/repos/acme/api`, () => error(403, fixture("secondary-rate-limit"))));
    const failed = await failure(
      connector({ secondaryRateLimitWaitMs: undefined }).call("github_get_repository", repo),
    );
    expect(failed.code).toBe("rate_limited");
    expect(failed.retryAfterMs).toBe(60_000);
  });

  it("403 primary limit (x-ratelimit-remaining: 0) waits until the reset", async () => {
    const reset = Math.floor(Date.now() / 1000) + 1800;
    server.use(
      http.get(`${API}/repos/acme/api`, () =>
        error(403, fixture("primary-rate-limit"), {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(reset),
        }),
      ),
    );
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(failed.code).toBe("rate_limited");
    expect(failed.upstream?.code).toBe("primary_rate_limit");
    expect(failed.retryAfterMs).toBeGreaterThan(1_700_000);
    expect(failed.retryAfterMs).toBeLessThanOrEqual(1_800_000);
  });

  it("429 is rate_limited with retry-after", async () => {
    server.use(
      http.get(`${API}/repos/acme/api`, () =>
        error(429, fixture("secondary-rate-limit"), { "retry-after": "120" }),
      ),
    );
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(failed).toMatchObject({ code: "rate_limited", retryAfterMs: 120_000 });
  });

  it("403 permission: permission_denied naming the needed permission", async () => {
    server.use(
      http.get(`${API}/repos/acme/api`, () =>
        error(403, fixture("resource-not-accessible"), { "x-accepted-github-permissions": "metadata=read" }),
      ),
    );
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(failed.code).toBe("permission_denied");
    expect(failed.hint).toContain("metadata=read");
    expect(failed.details).toEqual({ acceptedPermissions: "metadata=read" });
    expect(seen).toHaveLength(1);
  });

  it("403 with x-accepted-oauth-scopes names the scope", async () => {
    server.use(
      http.get(`${API}/repos/acme/api`, () =>
        error(
          403,
          { message: "Must have admin rights to Repository." },
          { "x-accepted-oauth-scopes": "repo" },
        ),
      ),
    );
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(failed.code).toBe("permission_denied");
    expect(failed.hint).toContain("OAuth scope repo");
  });

  it("404 is not_found with the private-repository hint", async () => {
    server.use(http.get(`${API}/repos/acme/api`, () => error(404, fixture("not-found"))));
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(failed.code).toBe("not_found");
    expect(failed.hint).toMatch(/private/);
    expect(failed.message).toContain("Not Found");
    expect(failed.message).not.toContain("docs.github.com");
  });

  it("409 is conflict", async () => {
    server.use(
      http.get(`${API}/repos/acme/api/commits`, () => error(409, { message: "Git Repository is empty." })),
    );
    const failed = await failure(connector().call("github_list_commits", repo));
    expect(failed.code).toBe("conflict");
    expect(failed.message).toContain("Git Repository is empty.");
  });

  it("410 distinguishes a disabled feature from a deleted resource", async () => {
    server.use(
      http.get(`${API}/repos/acme/api/issues`, () =>
        error(410, { message: "Issues are disabled for this repo" }),
      ),
      http.get(`${API}/repos/acme/api/issues/7`, () => error(410, { message: "This issue was deleted" })),
    );
    const github = connector();
    expect((await failure(github.call("github_list_issues", repo))).code).toBe("invalid_input");
    expect((await failure(github.call("github_get_issue", { ...repo, number: 7 }))).code).toBe("not_found");
  });

  it("422 is invalid_input with GitHub's field errors in details.fields", async () => {
    server.use(http.post(`${API}/repos/acme/api/issues`, () => error(422, fixture("validation-failed"))));
    const failed = await failure(
      connector({ allowWrites: true }).call("github_create_issue", { ...repo, title: "x", labels: ["bug"] }),
    );
    expect(failed.code).toBe("invalid_input");
    expect(failed.details?.fields).toEqual([
      { resource: "Issue", field: "title", code: "missing_field" },
      { resource: "Label", field: "name", code: "invalid" },
    ]);
    expect(failed.message).toContain("title missing_field");
    expect(failed.upstream).toMatchObject({ status: 422, code: "missing_field" });
  });

  it("5xx is retried, then upstream_unavailable", async () => {
    server.use(http.get(`${API}/repos/acme/api`, () => error(502, { message: "Server Error" })));
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(failed.code).toBe("upstream_unavailable");
    expect(failed.retryable).toBe(true);
    expect(seen).toHaveLength(4);
  });

  it("5xx then success recovers within the call", async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/repos/acme/api`, () => {
        calls += 1;
        return calls < 3
          ? error(503, { message: "Service Unavailable" })
          : HttpResponse.json(fixture("repository"), { headers: githubHeaders() });
      }),
    );
    const { metadata } = await connector().call("github_get_repository", repo);
    expect(metadata.attempts).toBe(3);
    expect(metadata.requestIds).toHaveLength(3);
  });

  it("a transport failure is a network error, retried", async () => {
    server.use(http.get(`${API}/repos/acme/api`, () => HttpResponse.error()));
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(failed.code).toBe("network");
    expect(seen).toHaveLength(4);
  });

  it("x-github-request-id lands in error.upstream.requestId and in metadata.requestIds", async () => {
    server.use(
      http.get(`${API}/repos/acme/api`, () =>
        error(404, fixture("not-found"), { "x-github-request-id": "ABCD:1:2:3:4" }),
      ),
      http.get(`${API}/repos/acme/web`, () =>
        HttpResponse.json(fixture("repository"), {
          headers: githubHeaders({ "x-github-request-id": "EF01:5:6:7:8" }),
        }),
      ),
    );
    const github = connector();
    const failed = await failure(github.call("github_get_repository", repo));
    expect(failed.upstream?.requestId).toBe("ABCD:1:2:3:4");
    expect(failed.toJSON().upstream?.requestId).toBe("ABCD:1:2:3:4");
    const { metadata } = await github.call("github_get_repository", { owner: "acme", repo: "web" });
    expect(metadata.requestIds).toEqual(["EF01:5:6:7:8"]);
  });

  it("an answer of the wrong shape is invalid_response", async () => {
    server.use(
      http.get(`${API}/repos/acme/api`, () => HttpResponse.json({ name: 42 }, { headers: githubHeaders() })),
    );
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(failed.code).toBe("invalid_response");
  });

  it("the token never appears in any error, whatever GitHub echoes back", async () => {
    const echo = (request: Request) => ({
      message: `Bad credentials for ${request.headers.get("authorization")}`,
      errors: [
        { resource: "Issue", field: "body", code: "invalid", message: `token ${CANARY_TOKEN} is bad` },
      ],
    });
    const statuses = [400, 401, 403, 404, 409, 410, 422, 429, 500, 502];
    for (const status of statuses) {
      server.use(
        http.get(`${API}/repos/acme/api`, ({ request }) =>
          HttpResponse.json(echo(request), {
            status,
            headers: githubHeaders({ "retry-after": "3600", "x-echo": CANARY_TOKEN }),
          }),
        ),
      );
      const failed = await failure(connector().call("github_get_repository", repo));
      const everything = [
        JSON.stringify(failed),
        JSON.stringify(failed.toJSON()),
        failed.message,
        failed.hint,
        String(failed.stack),
        JSON.stringify(failed.details ?? {}),
        JSON.stringify(failed.causes()),
        String((failed.cause as Error | undefined)?.stack),
      ].join("\n");
      expect(everything, `status ${status}`).not.toContain(CANARY_TOKEN);
      expect(everything, `status ${status}`).not.toContain(CANARY_TOKEN.slice(4));
    }
    // And a transport failure.
    server.use(http.get(`${API}/repos/acme/api`, () => HttpResponse.error()));
    const failed = await failure(connector().call("github_get_repository", repo));
    expect(JSON.stringify(failed.toJSON()) + String(failed.stack)).not.toContain(CANARY_TOKEN.slice(4));
  });
});
