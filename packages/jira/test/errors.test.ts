import type { ConnectorError } from "@switchyard/core";
import { BaseClient } from "jira.js";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { CANARY_TOKEN, connector, EMAIL, failure, fixture, jiraHeaders, SITE } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const ISSUE_URL = `${SITE}/rest/api/3/issue/OPS-42`;

/** Every place an error could carry the token: message, hint, JSON, stack, causes, details. */
function expectNoSecret(error: ConnectorError) {
  const basic = Buffer.from(`${EMAIL}:${CANARY_TOKEN}`).toString("base64");
  const everything = [
    error.message,
    error.hint,
    error.stack ?? "",
    JSON.stringify(error),
    JSON.stringify(error.toJSON()),
    JSON.stringify(error.causes()),
    String(error.cause),
  ].join("\n");
  expect(everything).not.toContain(CANARY_TOKEN);
  expect(everything).not.toContain(basic);
  expect(everything).not.toContain(Buffer.from(CANARY_TOKEN).toString("base64"));
  expect(everything).not.toMatch(/authorization/i);
}

const respond = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  http.get(ISSUE_URL, () =>
    body === undefined
      ? new HttpResponse(null, { status, headers: jiraHeaders(headers) })
      : HttpResponse.json(body, { status, headers: jiraHeaders(headers) }),
  );

describe("error mapping", () => {
  it("400: invalid_input with the field errors in details", async () => {
    server.use(
      http.post(`${SITE}/rest/api/3/issue`, () =>
        HttpResponse.json(fixture("error-400"), {
          status: 400,
          headers: jiraHeaders({ "x-arequestid": "req-400" }),
        }),
      ),
    );
    const failed = await failure(
      connector({ allowWrites: true }).call("jira_create_issue", {
        projectKey: "OPS",
        issueType: "Task",
        summary: "x",
      }),
    );
    expect(failed.code).toBe("invalid_input");
    expect(failed.message).toContain("summary: You must specify a summary of the issue.");
    expect(failed.details).toEqual({
      fields: [
        { field: "summary", message: "You must specify a summary of the issue." },
        { field: "customfield_10016", message: "Number value expected as the Story point estimate." },
      ],
      errorMessages: [],
    });
    expect(failed.upstream).toEqual({ status: 400, requestId: "req-400" });
    expectNoSecret(failed);
  });

  it.each([
    [401, "error-401", "unauthenticated", "Client must be authenticated"],
    [403, "error-403", "permission_denied", "You do not have permission"],
    [404, "error-404", "not_found", "Issue does not exist"],
    [409, "error-409", "conflict", "changed by another transition"],
  ])("%i: %s -> %s", async (status, body, code, text) => {
    server.use(respond(status, fixture(body), { "x-arequestid": `req-${status}` }));
    const failed = await failure(connector().call("jira_get_issue", { issueKey: "OPS-42" }));
    expect(failed.code).toBe(code);
    expect(failed.message).toContain(text);
    expect(failed.upstream?.requestId).toBe(`req-${status}`);
    expect(failed.retryable).toBe(false);
    expectNoSecret(failed);
  });

  it("401 with a scope mismatch is a missing permission, not a bad credential", async () => {
    server.use(respond(401, { code: 401, message: "Unauthorized; scope does not match" }));
    const failed = await failure(connector().call("jira_get_issue", { issueKey: "OPS-42" }));
    expect(failed.code).toBe("permission_denied");
    expect(failed.hint).toContain("scope");
  });

  it("410: invalid_input naming the removed endpoint", async () => {
    server.use(
      http.post(`${SITE}/rest/api/3/search/jql`, () =>
        HttpResponse.json(fixture("error-410"), { status: 410, headers: jiraHeaders() }),
      ),
    );
    const failed = await failure(connector().call("jira_search_issues", { jql: "project = OPS" }));
    expect(failed.code).toBe("invalid_input");
    expect(failed.message).toContain("Jira has removed POST /rest/api/3/search/jql");
    expect(failed.message).toContain("migrate to the /rest/api/3/search/jql API");
    expect(failed.details).toEqual({ removedEndpoint: "POST /rest/api/3/search/jql" });
  });

  it.each([500, 502, 503, 504])("%i: upstream_unavailable, retried with backoff", async (status) => {
    let hits = 0;
    server.use(
      http.get(ISSUE_URL, () => {
        hits += 1;
        return HttpResponse.json(
          { errorMessages: ["Internal server error"] },
          { status, headers: jiraHeaders() },
        );
      }),
    );
    const failed = await failure(connector().call("jira_get_issue", { issueKey: "OPS-42" }));
    expect(failed.code).toBe("upstream_unavailable");
    expect(failed.retryable).toBe(true);
    // Core's policy: the first attempt plus 3 retries. No extra axios or jira.js retries underneath.
    expect(hits).toBe(4);
    expectNoSecret(failed);
  });

  it("503 with Retry-After is waited out, then succeeds", async () => {
    let hits = 0;
    server.use(
      http.get(ISSUE_URL, () => {
        hits += 1;
        if (hits === 1)
          return new HttpResponse(null, { status: 503, headers: jiraHeaders({ "retry-after": "1" }) });
        return HttpResponse.json(fixture("issue"), { headers: jiraHeaders() });
      }),
      http.get(`${ISSUE_URL}/comment`, () =>
        HttpResponse.json(fixture("comments"), { headers: jiraHeaders() }),
      ),
      http.get(`${ISSUE_URL}/transitions`, () =>
        HttpResponse.json(fixture("transitions"), { headers: jiraHeaders() }),
      ),
    );
    const started = Date.now();
    const { metadata } = await connector().call("jira_get_issue", { issueKey: "OPS-42" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(metadata.attempts).toBe(2);
  });

  it("a connection failure is `network`, with no request config attached", async () => {
    server.use(http.get(ISSUE_URL, () => HttpResponse.error()));
    const failed = await failure(connector().call("jira_get_issue", { issueKey: "OPS-42" }));
    expect(failed.code).toBe("network");
    expectNoSecret(failed);
  });

  it("a wrongly shaped answer is `invalid_response`", async () => {
    server.use(respond(200, { id: 1, key: ["not", "a", "key"] }));
    const failed = await failure(connector().call("jira_get_issue", { issueKey: "OPS-42" }));
    expect(failed.code).toBe("invalid_response");
  });

  it("a redirect is not followed (it could carry the Authorization header elsewhere)", async () => {
    server.use(
      http.get(
        ISSUE_URL,
        () => new HttpResponse(null, { status: 302, headers: { location: "https://evil.example/x" } }),
      ),
    );
    const failed = await failure(connector().call("jira_get_issue", { issueKey: "OPS-42" }));
    expect(failed.code).toBe("invalid_response");
    expect(seen.map((request) => new URL(request.url).host)).toEqual(["acme.atlassian.net"]);
    expectNoSecret(failed);
  });

  it("the deadline aborts the request in flight (the signal and a timeout reach axios)", async () => {
    const spy = vi.spyOn(BaseClient.prototype, "sendRequestFullResponse");
    // "Jira" holds the answer until the test lets it go: only the deadline can end the call.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let requests = 0;
    let answered = false;
    server.use(
      http.get(ISSUE_URL, async () => {
        requests += 1;
        await held;
        answered = true;
        return HttpResponse.json(fixture("issue"), { headers: jiraHeaders() });
      }),
    );
    try {
      const failed = await failure(
        connector().call("jira_get_issue", { issueKey: "OPS-42" }, { deadlineMs: 200 }),
      );
      // The deadline ended the call (not Jira's answer, which has not been sent), after one request.
      expect(failed.code).toBe("timeout");
      expect(answered).toBe(false);
      expect(requests).toBe(1);
      const config = spy.mock.calls[0]?.[0] as { signal: AbortSignal; timeout: number };
      expect(config.signal.aborted).toBe(true);
      expect(config.timeout).toBeGreaterThan(0);
      expect(config.timeout).toBeLessThanOrEqual(200);
      // axios itself gave up (a cancel), rather than the request running on in the background: once Jira
      // answers, a request still running would resolve.
      release();
      const outcome = await (spy.mock.results[0]!.value as Promise<unknown>).then(
        () => "resolved",
        (error: { code?: string }) => error.code,
      );
      expect(outcome).toBe("ERR_CANCELED");
    } finally {
      release();
      spy.mockRestore();
    }
  });
});

describe("the canary API token never leaves the process", () => {
  it("is not in any error, whatever Jira echoes back", async () => {
    const basic = Buffer.from(`${EMAIL}:${CANARY_TOKEN}`).toString("base64");
    // An upstream that echoes the credential it was sent, in the body and in headers.
    server.use(
      http.get(ISSUE_URL, ({ request }) =>
        HttpResponse.json(
          {
            errorMessages: [`Bad header: ${request.headers.get("authorization")}`, `token ${CANARY_TOKEN}`],
            errors: { auth: `Basic ${basic}` },
          },
          { status: 400, headers: jiraHeaders({ "x-echo": request.headers.get("authorization") ?? "" }) },
        ),
      ),
    );
    const failed = await failure(connector().call("jira_get_issue", { issueKey: "OPS-42" }));
    expect(failed.code).toBe("invalid_input");
    const everything = JSON.stringify([failed.toJSON(), failed.message, failed.stack, failed.details]);
    expect(everything).not.toContain(CANARY_TOKEN);
    expect(everything).not.toContain(basic);
    // The request itself did carry it: the test would prove nothing otherwise.
    expect(seen[0]?.headers.get("authorization")).toBe(`Basic ${basic}`);
  });

  it("is not in call events or diagnostics", async () => {
    const events: string[] = [];
    server.use(respond(401, fixture("error-401")));
    const jira = connector({ onEvent: (event) => void events.push(JSON.stringify(event)) });
    await failure(jira.call("jira_get_issue", { issueKey: "OPS-42" }));
    server.use(
      http.get(`${SITE}/rest/api/3/myself`, () => HttpResponse.json(fixture("error-401"), { status: 401 })),
    );
    const diagnosis = await jira.diagnose();
    expect(diagnosis.reachable).toBe(true);
    expect(diagnosis.problems[0]?.fix).toContain("renew");
    const everything = [...events, JSON.stringify(diagnosis)].join("\n");
    expect(everything).not.toContain(CANARY_TOKEN);
    expect(everything).not.toContain(Buffer.from(`${EMAIL}:${CANARY_TOKEN}`).toString("base64"));
  });
});
