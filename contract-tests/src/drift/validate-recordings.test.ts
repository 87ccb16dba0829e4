import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Recording } from "../recording/recorder.js";
import {
  driftMarkdown,
  endpointMatcher,
  findEndpoint,
  resolveSchema,
  validateRecordings,
} from "./validate-recordings.js";
import { GITHUB_WIRE, SLACK_WIRE, type WireSchemaSource } from "./wire-schemas.js";

// Synthetic recordings in the shape record mode writes, for GitHub (and one Slack error body).

function recording(
  tool: string,
  method: string,
  path: string,
  body: unknown,
  status = 200,
  upstream = "github",
): { file: string; recording: Recording } {
  return {
    file: `recordings/${upstream}/${tool}/01.json`,
    recording: {
      upstream,
      tool,
      scenario: `${tool}: synthetic`,
      recordedAt: "2026-01-01T00:00:00.000Z",
      request: { method, path },
      response: { status, headers: { "content-type": "application/json" }, body },
    },
  };
}

const repository = {
  name: "api",
  full_name: "user-1/api",
  owner: { login: "user-1" },
  private: false,
  html_url: "https://github.com/user-1/api",
};
const issue = {
  number: 1,
  title: "Crash",
  state: "open",
  user: { login: "user-2" },
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  html_url: "https://github.com/user-1/api/issues/1",
};

/**
 * Stand-ins for a few of @switchyard/github's wire schemas (src/github-api.ts), same rules: loose objects,
 * only the fields the tools read. Used until the package exports its own (see the last test).
 */
const userSchema = z.looseObject({ login: z.string() });
const issueSchema = z.looseObject({
  number: z.number().int(),
  title: z.string(),
  state: z.string(),
  user: userSchema.nullable().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  html_url: z.string(),
});
const standIn: WireSchemaSource = {
  ...GITHUB_WIRE,
  load: async () => ({
    repositorySchema: z.looseObject({
      name: z.string(),
      full_name: z.string(),
      owner: userSchema,
      private: z.boolean(),
      html_url: z.string(),
    }),
    // Through the `wireSchemas` namespace, the other accepted form of export.
    wireSchemas: { issueListSchema: z.array(issueSchema) },
  }),
};

describe("drift: recorded answers vs wire schemas", () => {
  it("matches endpoint templates: {name} is one segment, {+name} the rest, the query is ignored", () => {
    const repo = endpointMatcher("GET /repos/{owner}/{repo}");
    expect(repo("GET", "/repos/acme/api")).toBe(true);
    expect(repo("GET", "/repos/acme/api?x=1")).toBe(true);
    expect(repo("GET", "/repos/acme/api/issues")).toBe(false);
    expect(repo("POST", "/repos/acme/api")).toBe(false);
    const contents = endpointMatcher("GET /repos/{owner}/{repo}/contents/{+path}");
    expect(contents("GET", "/repos/acme/api/contents/docs/guide/intro.md")).toBe(true);
  });

  it("passes answers that satisfy the schema", async () => {
    const summary = await validateRecordings(standIn, [
      recording("github_get_repository", "GET", "/repos/user-1/api", repository),
      recording("github_list_issues", "GET", "/repos/user-1/api/issues?state=all&per_page=5", [issue, issue]),
      // Extra fields are not drift: wire objects are loose.
      recording("github_get_repository", "GET", "/repos/user-1/web", { ...repository, new_field: { a: 1 } }),
    ]);
    expect(summary).toEqual({ upstream: "github", recordings: 3, validated: 3, findings: [] });
  });

  it("names the tool and the field of every mismatch", async () => {
    const summary = await validateRecordings(standIn, [
      recording("github_list_issues", "GET", "/repos/user-1/api/issues", [
        issue,
        { ...issue, number: "2", user: { login: 42 } },
      ]),
      recording("github_get_repository", "GET", "/repos/user-1/api", { ...repository, full_name: undefined }),
    ]);
    expect(
      summary.findings.map((finding) => [finding.kind, finding.tool, finding.schema, finding.field]),
    ).toEqual([
      ["mismatch", "github_list_issues", "issueListSchema", "[1].number"],
      ["mismatch", "github_list_issues", "issueListSchema", "[1].user.login"],
      ["mismatch", "github_get_repository", "repositorySchema", "full_name"],
    ]);
    expect(summary.findings[0]?.message).toMatch(
      /^github_list_issues reads GET \/repos\/\{owner\}\/\{repo\}\/issues with issueListSchema: `\[1\]\.number` /,
    );
    expect(summary.findings[0]?.file).toBe("recordings/github/github_list_issues/01.json");
  });

  it("reports endpoints no row covers, and schemas the package does not export", async () => {
    const summary = await validateRecordings(standIn, [
      recording("github_get_issue", "GET", "/repos/user-1/api/issues/1", issue),
      recording("github_get_issue", "GET", "/repos/user-1/api/issues/1", issue),
      recording("github_probe", "GET", "/meta", {}),
      recording("github_get_repository", "GET", "/repos/user-1/api", { message: "Not Found" }, 404),
    ]);
    expect(summary.findings.map((finding) => [finding.kind, finding.endpoint, finding.schema])).toEqual([
      // issueSchema is not in the stand-in's exports: reported once, not per recording.
      ["unavailable", "GET /repos/{owner}/{repo}/issues/{number}", "issueSchema"],
      ["unmapped", "GET /meta", undefined],
      ["unmapped", "GET /repos/user-1/api", undefined],
    ]);
    expect(summary.validated).toBe(0);
  });

  it("picks Slack's error row for HTTP 200 `ok: false` bodies", () => {
    const error = recording(
      "slack_get_user",
      "POST",
      "/users.info",
      { ok: false, error: "user_not_found" },
      200,
      "slack",
    );
    const ok = recording(
      "slack_get_user",
      "POST",
      "/users.info",
      { ok: true, user: { id: "U1" } },
      200,
      "slack",
    );
    expect(findEndpoint(SLACK_WIRE, error.recording)?.schema).toBe("errorBodySchema");
    expect(findEndpoint(SLACK_WIRE, ok.recording)?.schema).toBe("usersInfoSchema");
  });

  it("renders a markdown section", async () => {
    const summary = await validateRecordings(standIn, [
      recording("github_get_repository", "GET", "/repos/user-1/api", { ...repository, private: "no" }),
    ]);
    const markdown = driftMarkdown([summary]);
    expect(markdown).toContain("| github | 1 | 1 | 1 | 0 | 0 |");
    expect(markdown).toContain(
      "| mismatch | github | github_get_repository | `GET /repos/{owner}/{repo}` | `private` |",
    );
  });

  it("uses @switchyard/github's own schemas once the package exports them; today it says which are missing", async () => {
    const exports = (await GITHUB_WIRE.load()) as Record<string, unknown>;
    const summary = await validateRecordings(GITHUB_WIRE, [
      recording("github_get_repository", "GET", "/repos/user-1/api", repository),
      recording("github_get_repository", "GET", "/repos/user-1/web", { ...repository, owner: null }),
    ]);
    if (resolveSchema(exports, "repositorySchema")) {
      expect(summary.findings.map((finding) => [finding.kind, finding.field])).toEqual([
        ["mismatch", "owner"],
      ]);
    } else {
      expect(summary.findings).toEqual([
        expect.objectContaining({
          kind: "unavailable",
          schema: "repositorySchema",
          message: expect.stringContaining("@switchyard/github does not export `repositorySchema`"),
        }),
      ]);
    }
  });
});
