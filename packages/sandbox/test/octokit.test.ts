import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ISSUE_COUNT } from "../src/index.js";
import { type GithubTestClient, githubSandbox, TOKEN } from "./helpers.js";

/** A real GitHub client (the one @switchyard/github is built on) against the loopback sandbox. */

let gh: GithubTestClient;
let octokit: Octokit;

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

beforeAll(async () => {
  gh = await githubSandbox({ options: { github: { rateLimits: { search: 1000 } } } });
  expect(gh.sandbox.env).toEqual({ GITHUB_API_URL: gh.api, GITHUB_TOKEN: TOKEN });
  octokit = new Octokit({ auth: TOKEN, baseUrl: gh.api, log: quiet });
});
afterAll(async () => {
  await gh.sandbox.close();
});

describe("@octokit/rest against the sandbox", () => {
  it("octokit.paginate lists every issue across pages by following Link headers", async () => {
    const pages: number[] = [];
    const issues = await octokit.paginate(
      octokit.rest.issues.listForRepo,
      { owner: "acme", repo: "api", state: "all", per_page: 100 },
      (response) => {
        pages.push(response.data.length);
        return response.data;
      },
    );
    expect(pages).toEqual([100, 100, API_ISSUE_COUNT - 200]);
    expect(new Set(issues.map((issue) => issue.number)).size).toBe(API_ISSUE_COUNT);
  });

  it("gets an issue and its comments", async () => {
    const { data: issue, headers } = await octokit.rest.issues.get({
      owner: "acme",
      repo: "api",
      issue_number: 1,
    });
    expect(issue).toMatchObject({ number: 1, title: "Login fails when the token has expired", comments: 3 });
    expect(headers["x-ratelimit-resource"]).toBe("core");
    const { data: comments } = await octokit.rest.issues.listComments({
      owner: "acme",
      repo: "api",
      issue_number: 1,
    });
    expect(comments).toHaveLength(3);
  });

  it("creates an issue that later reads and searches see", async () => {
    const { data: created, status } = await octokit.rest.issues.create({
      owner: "acme",
      repo: "web",
      title: "Octokit was here",
      labels: ["enhancement"],
    });
    expect(status).toBe(201);
    const { data: fetched } = await octokit.rest.issues.get({
      owner: "acme",
      repo: "web",
      issue_number: created.number,
    });
    expect(fetched.title).toBe("Octokit was here");
    const found = await octokit.paginate(octokit.rest.search.issuesAndPullRequests, {
      q: "repo:acme/web Octokit",
      per_page: 100,
    });
    expect(found.map((item) => item.number)).toEqual([created.number]);
  });

  it("surfaces GitHub errors as RequestError with status and the validation errors", async () => {
    const missing = await octokit.rest.repos
      .get({ owner: "acme", repo: "nope" })
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({ name: "HttpError", status: 404 });
    const invalid = await octokit.rest.issues
      .create({ owner: "acme", repo: "api", title: "x", milestone: 42 })
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({
      status: 422,
      response: { data: { errors: [{ resource: "Issue", field: "milestone", code: "invalid" }] } },
    });
  });

  it("reads contents and pull requests through the typed endpoints", async () => {
    const { data: readme } = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "api",
      path: "README.md",
    });
    expect(Array.isArray(readme)).toBe(false);
    expect(Buffer.from((readme as { content: string }).content, "base64").toString()).toContain("# acme/api");
    const pulls = await octokit.paginate(octokit.rest.pulls.list, {
      owner: "acme",
      repo: "api",
      state: "all",
      per_page: 5,
    });
    expect(pulls.length).toBe(21);
    const { data: files } = await octokit.rest.pulls.listFiles({
      owner: "acme",
      repo: "api",
      pull_number: 13,
    });
    expect(files.length).toBeGreaterThan(0);
  });
});
