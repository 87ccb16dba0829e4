import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createGithubConnector } from "../src/index.js";
import { server } from "./msw-server.js";

const API = "https://api.github.com";

describe("approval for GitHub writes", () => {
  it("asks before writing outside the allowlist and lets an approved call through once", async () => {
    const created: string[] = [];
    server.use(
      http.post(`${API}/repos/:owner/:repo/issues`, async ({ params, request }) => {
        const body = (await request.json()) as { title: string };
        created.push(`${params.owner}/${params.repo}: ${body.title}`);
        return HttpResponse.json(
          {
            id: 1,
            number: 7,
            title: body.title,
            state: "open",
            user: { login: "octocat" },
            labels: [],
            assignees: [],
            comments: 0,
            created_at: "2026-11-21T10:00:00Z",
            updated_at: "2026-11-21T10:00:00Z",
            closed_at: null,
            html_url: `https://github.com/${params.owner}/${params.repo}/issues/7`,
            body: null,
          },
          { status: 201 },
        );
      }),
    );
    const asked: { summary: string; unlisted: readonly string[] }[] = [];
    let answer = true;
    const github = createGithubConnector({
      token: "ghp_0123456789abcdefghij0123456789abcdef",
      repositories: ["acme/api"],
      allowWrites: true,
      retry: { maxRetries: 0 },
      approval: {
        policies: { "github_create_*": "when-unlisted" },
        approve: async (request) => {
          asked.push({ summary: request.summary, unlisted: request.unlistedTargets });
          return answer;
        },
      },
    });
    await github.call("github_create_issue", { owner: "acme", repo: "api", title: "Listed" });
    expect(asked).toEqual([]);
    await github.call("github_create_issue", { owner: "octo", repo: "elsewhere", title: "Unlisted" });
    expect(asked).toEqual([
      { summary: 'Create an issue in octo/elsewhere: "Unlisted"', unlisted: ["octo/elsewhere"] },
    ]);
    answer = false;
    await expect(
      github.call("github_create_issue", { owner: "octo", repo: "elsewhere", title: "Denied" }),
    ).rejects.toMatchObject({ code: "permission_denied" });
    expect(created).toEqual(["acme/api: Listed", "octo/elsewhere: Unlisted"]);
    // Reads are not widened by an earlier approval.
    await expect(
      github.call("github_get_repository", { owner: "octo", repo: "elsewhere" }),
    ).rejects.toMatchObject({
      code: "permission_denied",
    });
  });
});
