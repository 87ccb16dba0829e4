import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { failure, fixture, jiraHeaders, SITE } from "./helpers.js";
import { seen, server } from "./msw-server.js";

// jira.js (with axios) is imported by the first request, not when the connector is built. Each test loads a
// fresh copy of the connector with jira.js behind a mock that counts its imports, or fails them.
const imports = { count: 0, fail: false };

async function freshConnector() {
  vi.resetModules();
  vi.doMock("jira.js", async (importOriginal) => {
    imports.count += 1;
    if (imports.fail) throw new Error("Cannot find package 'jira.js'");
    return await importOriginal();
  });
  const { connector } = await import("./helpers.js");
  return connector();
}

const issueHandlers = () => [
  http.get(`${SITE}/rest/api/3/issue/OPS-42`, () =>
    HttpResponse.json(fixture("issue"), { headers: jiraHeaders() }),
  ),
  http.get(`${SITE}/rest/api/3/issue/OPS-42/comment`, () =>
    HttpResponse.json(fixture("comments"), { headers: jiraHeaders() }),
  ),
  http.get(`${SITE}/rest/api/3/issue/OPS-42/transitions`, () =>
    HttpResponse.json(fixture("transitions"), { headers: jiraHeaders() }),
  ),
];

afterEach(() => {
  vi.doUnmock("jira.js");
  imports.count = 0;
  imports.fail = false;
});

describe("jira.js is loaded by the first call", () => {
  it("building the connector and describing its tools import no jira.js; the first call does, once", async () => {
    const jira = await freshConnector();
    expect(jira.describeTools().map((tool) => tool.name)).toContain("jira_get_issue");
    expect(imports.count).toBe(0);
    server.use(...issueHandlers());
    const { output } = await jira.call("jira_get_issue", { issueKey: "OPS-42" });
    expect(output).toMatchObject({ issue: { key: "OPS-42" } });
    await jira.call("jira_get_issue", { issueKey: "OPS-42" });
    expect(imports.count).toBe(1);
  });

  it("a failed import fails the call with `internal` and a hint, sends nothing, and is tried again", async () => {
    imports.fail = true;
    const jira = await freshConnector();
    const failed = await failure(jira.call("jira_get_issue", { issueKey: "OPS-42" }));
    expect(failed).toMatchObject({ code: "internal", fault: "connector", retryable: false });
    expect(failed.message).toMatch(/jira\.js/);
    expect(failed.hint).toMatch(/reinstall @switchyard\/jira/);
    expect(seen).toEqual([]);
    // Not kept: once the library loads, the next call goes through.
    imports.fail = false;
    server.use(...issueHandlers());
    const { output } = await jira.call("jira_get_issue", { issueKey: "OPS-42" });
    expect(output).toMatchObject({ issue: { key: "OPS-42" } });
  });
});
