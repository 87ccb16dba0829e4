import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_ISSUE_COUNT, DEFAULT_LOGIN } from "../src/index.js";
import { type GithubTestClient, githubSandbox } from "./helpers.js";

let gh: GithubTestClient;

beforeAll(async () => {
  gh = await githubSandbox();
});
beforeEach(() => {
  gh.sandbox.reset();
});
afterAll(async () => {
  await gh.sandbox.close();
});

type Json = Record<string, any>;

describe("GitHub state", () => {
  it("a created issue shows up in get, list and search, with the next number and the token's user", async () => {
    const created = await gh.send("POST", "/repos/acme/api/issues", {
      title: "Sandbox-created zebra issue",
      body: "Created by a test",
      labels: ["bug", "brand-new-label"],
      assignees: ["alice"],
      milestone: 1,
    });
    expect(created.status).toBe(201);
    const issue = (await created.json()) as Json;
    expect(issue).toMatchObject({
      number: API_ISSUE_COUNT + 1,
      title: "Sandbox-created zebra issue",
      state: "open",
      user: { login: DEFAULT_LOGIN },
      assignees: [{ login: "alice" }],
      milestone: { number: 1, title: "v1.0" },
      comments: 0,
      html_url: `${gh.api}/acme/api/issues/${API_ISSUE_COUNT + 1}`,
      repository_url: `${gh.api}/repos/acme/api`,
    });
    expect(issue.labels.map((label: Json) => label.name)).toEqual(["bug", "brand-new-label"]);
    expect(created.headers.get("location")).toBe(`${gh.api}/repos/acme/api/issues/${API_ISSUE_COUNT + 1}`);

    const fetched = (await (await gh.get(`/repos/acme/api/issues/${issue.number}`)).json()) as Json;
    expect(fetched.title).toBe("Sandbox-created zebra issue");

    const listed = (await (await gh.get("/repos/acme/api/issues?per_page=1")).json()) as Json[];
    expect(listed[0]?.number).toBe(issue.number);

    const byLabel = (await (await gh.get("/repos/acme/api/issues?labels=brand-new-label")).json()) as Json[];
    expect(byLabel.map((item) => item.number)).toEqual([issue.number]);

    const search = (await (
      await gh.get(`/search/issues?q=${encodeURIComponent("zebra repo:acme/api")}`)
    ).json()) as Json;
    expect(search.total_count).toBe(1);
    expect(search.items[0]).toMatchObject({
      number: issue.number,
      repository_url: `${gh.api}/repos/acme/api`,
    });
    expect(typeof search.items[0].score).toBe("number");
  });

  it("comments are listed oldest first and counted on the issue", async () => {
    const before = (await (await gh.get("/repos/acme/api/issues/1")).json()) as Json;
    expect(before.comments).toBe(3);
    const created = await gh.send("POST", "/repos/acme/api/issues/1/comments", { body: "A new comment" });
    expect(created.status).toBe(201);
    const comment = (await created.json()) as Json;
    expect(comment).toMatchObject({
      body: "A new comment",
      user: { login: DEFAULT_LOGIN },
      author_association: "MEMBER",
    });
    expect(comment.html_url).toBe(`${gh.api}/acme/api/issues/1#issuecomment-${comment.id}`);

    const comments = (await (await gh.get("/repos/acme/api/issues/1/comments")).json()) as Json[];
    expect(comments).toHaveLength(4);
    expect(comments.at(-1)?.id).toBe(comment.id);
    const after = (await (await gh.get("/repos/acme/api/issues/1")).json()) as Json;
    expect(after.comments).toBe(4);
    expect(Date.parse(after.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));

    const search = (await (
      await gh.get(`/search/issues?q=${encodeURIComponent("commenter:sandbox-user repo:acme/api")}`)
    ).json()) as Json;
    expect(search.items.map((item: Json) => item.number)).toContain(1);
  });

  it("updating an issue closes and reopens it, replaces labels and assignees", async () => {
    const closed = await gh.send("PATCH", "/repos/acme/api/issues/1", {
      state: "closed",
      state_reason: "not_planned",
      labels: ["question"],
      assignees: [],
    });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({
      state: "closed",
      state_reason: "not_planned",
      labels: [{ name: "question" }],
      assignees: [],
      closed_by: { login: DEFAULT_LOGIN },
    });
    const open = (await (await gh.get("/repos/acme/api/issues?state=open&per_page=100")).json()) as Json[];
    expect(open.some((issue) => issue.number === 1)).toBe(false);

    const reopened = (await (
      await gh.send("PATCH", "/repos/acme/api/issues/1", { state: "open" })
    ).json()) as Json;
    expect(reopened).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
  });

  it("opens a pull request from an existing branch; a second one for the same head is refused", async () => {
    const body = { title: "Sandbox-ready config", head: "feature/sandbox-ready", base: "main", draft: true };
    const created = await gh.send("POST", "/repos/acme/api/pulls", body);
    expect(created.status).toBe(201);
    const pull = (await created.json()) as Json;
    expect(pull).toMatchObject({
      number: API_ISSUE_COUNT + 1,
      state: "open",
      draft: true,
      merged: false,
      head: { ref: "feature/sandbox-ready", label: "acme:feature/sandbox-ready" },
      base: { ref: "main" },
      changed_files: 1,
    });
    const files = (await (await gh.get(`/repos/acme/api/pulls/${pull.number}/files`)).json()) as Json[];
    expect(files.map((file) => file.filename)).toEqual(["src/lib/parse-config.ts"]);
    const listed = (await (
      await gh.get("/repos/acme/api/pulls?head=acme:feature/sandbox-ready")
    ).json()) as Json[];
    expect(listed.map((item) => item.number)).toEqual([pull.number]);
    // The pull request is also an issue.
    const asIssue = (await (await gh.get(`/repos/acme/api/issues/${pull.number}`)).json()) as Json;
    expect(asIssue.pull_request).toMatchObject({ url: `${gh.api}/repos/acme/api/pulls/${pull.number}` });

    const again = await gh.send("POST", "/repos/acme/api/pulls", body);
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({
      message: "Validation Failed",
      errors: [
        {
          resource: "PullRequest",
          code: "custom",
          message: "A pull request already exists for acme:feature/sandbox-ready.",
        },
      ],
    });
  });

  it("reset() goes back to the seeded data", async () => {
    await gh.send("POST", "/repos/acme/api/issues", { title: "Temporary" });
    gh.sandbox.reset();
    const listed = (await (await gh.get("/repos/acme/api/issues?per_page=1&state=all")).json()) as Json[];
    expect(listed[0]?.number).toBe(API_ISSUE_COUNT);
  });

  it("the same seed gives the same data; created records are numbered after it", async () => {
    const other = await githubSandbox();
    try {
      const a = await (await gh.get("/repos/acme/api/issues?state=all&per_page=100&page=2")).json();
      const b = await (await other.get("/repos/acme/api/issues?state=all&per_page=100&page=2")).json();
      const strip = (items: any) =>
        JSON.parse(JSON.stringify(items).replaceAll(gh.api, "API").replaceAll(other.api, "API"));
      expect(strip(a)).toEqual(strip(b));
    } finally {
      await other.sandbox.close();
    }
  });
});

describe("GitHub pull requests, commits, checks and contents", () => {
  it("a seeded pull request has files, reviews, a combined status and check runs", async () => {
    const pull = (await (await gh.get("/repos/acme/api/pulls/13")).json()) as Json;
    expect(pull).toMatchObject({ number: 13, head: { sha: expect.stringMatching(/^[0-9a-f]{40}$/) } });
    for (const field of [
      "mergeable_state",
      "commits",
      "additions",
      "deletions",
      "changed_files",
      "review_comments",
    ]) {
      expect(pull).toHaveProperty(field);
    }
    const files = (await (await gh.get("/repos/acme/api/pulls/13/files?per_page=50")).json()) as Json[];
    expect(files.length).toBe(pull.changed_files);
    const reviews = await gh.get("/repos/acme/api/pulls/13/reviews?per_page=100");
    expect(reviews.status).toBe(200);
    const status = (await (
      await gh.get(`/repos/acme/api/commits/${pull.head.sha}/status?per_page=100`)
    ).json()) as Json;
    expect(status).toMatchObject({ sha: pull.head.sha, total_count: 1, statuses: [{ context: "ci/build" }] });
    const runs = (await (
      await gh.get(`/repos/acme/api/commits/${pull.head.sha}/check-runs?per_page=100`)
    ).json()) as Json;
    expect(runs.total_count).toBe(2);
    expect(runs.check_runs.map((run: Json) => run.name)).toEqual(["test (node 20)", "lint"]);
    // A branch name works as the ref too; an unknown ref is a 422.
    const byBranch = (await (
      await gh.get(`/repos/acme/api/commits/${encodeURIComponent(pull.head.ref)}/status`)
    ).json()) as Json;
    expect(byBranch.sha).toBe(pull.head.sha);
    expect((await gh.get("/repos/acme/api/commits/nope/check-runs")).status).toBe(422);
    // An issue is not a pull request.
    expect((await gh.get("/repos/acme/api/pulls/1")).status).toBe(404);
  });

  it("lists commits filtered by path and author, newest first", async () => {
    const all = (await (await gh.get("/repos/acme/api/commits?per_page=100")).json()) as Json[];
    const dates = all.map((commit) => commit.commit.author.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    const readme = (await (
      await gh.get("/repos/acme/api/commits?path=README.md&per_page=100")
    ).json()) as Json[];
    expect(readme.length).toBeGreaterThan(0);
    expect(readme.length).toBeLessThan(all.length);
    const alice = (await (
      await gh.get("/repos/acme/api/commits?author=alice&per_page=100")
    ).json()) as Json[];
    expect(alice.every((commit) => commit.author.login === "alice")).toBe(true);
    const branch = (await (
      await gh.get("/repos/acme/api/commits?sha=feature/sandbox-ready&per_page=1")
    ).json()) as Json[];
    expect(branch[0]?.commit.message).toBe("Make the config parser sandbox-ready");
  });

  it("serves files base64-encoded, directories as arrays, symlinks, submodules and files over 1 MB", async () => {
    const file = (await (await gh.get("/repos/acme/api/contents/src/index.ts?ref=main")).json()) as Json;
    expect(file).toMatchObject({ type: "file", encoding: "base64", path: "src/index.ts", name: "index.ts" });
    expect(Buffer.from(file.content, "base64").toString("utf8")).toContain("startServer");
    expect(file.content).toMatch(/\n$/);

    const root = (await (await gh.get("/repos/acme/api/contents")).json()) as Json[];
    expect(root.map((entry) => `${entry.type}:${entry.name}`)).toEqual([
      "dir:.github",
      "file:README.md",
      "dir:assets",
      "dir:data",
      "dir:docs",
      "file:package.json",
      "dir:src",
      "dir:vendor",
    ]);
    const vendor = (await (await gh.get("/repos/acme/api/contents/vendor")).json()) as Json[];
    expect(vendor[0]).toMatchObject({ type: "file", size: 0, name: "hello-world" });
    const submodule = (await (await gh.get("/repos/acme/api/contents/vendor/hello-world")).json()) as Json;
    expect(submodule).toMatchObject({
      type: "submodule",
      submodule_git_url: "https://github.com/octo/hello-world.git",
    });
    // A symlink to a file returns the file.
    const linked = (await (await gh.get("/repos/acme/api/contents/docs/latest")).json()) as Json;
    expect(linked).toMatchObject({ type: "file", path: "docs/guide.md" });
    const large = (await (await gh.get("/repos/acme/api/contents/data/large.json")).json()) as Json;
    expect(large).toMatchObject({ encoding: "none", content: "" });
    expect(large.size).toBeGreaterThan(1024 * 1024);
    const binary = (await (await gh.get("/repos/acme/api/contents/assets/logo.png")).json()) as Json;
    expect(Buffer.from(binary.content, "base64").includes(0)).toBe(true);

    expect((await gh.get("/repos/acme/api/contents/nope.txt")).status).toBe(404);
    expect((await gh.get("/repos/acme/api/contents/README.md?ref=no-such-branch")).status).toBe(404);
    expect((await gh.get("/repos/octo/empty/contents")).status).toBe(404);
  });

  it("answers 409 for the commits of an empty repository", async () => {
    const response = await gh.get("/repos/octo/empty/commits");
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ message: "Git Repository is empty.", status: "409" });
  });

  it("lists repositories of the user, an org (private included for members) and a user account", async () => {
    const mine = (await (await gh.get("/user/repos")).json()) as Json[];
    expect(mine.map((repo) => repo.full_name)).toEqual(["acme/api", "acme/secret-plans", "acme/web"]);
    expect(mine[1]).toMatchObject({ private: true, visibility: "private", permissions: { pull: true } });
    const org = (await (await gh.get("/orgs/acme/repos?sort=full_name")).json()) as Json[];
    expect(org.map((repo) => repo.name)).toEqual(["api", "secret-plans", "web"]);
    // octo is a user: the org endpoint 404s, the user endpoint lists its public repositories.
    expect((await gh.get("/orgs/octo/repos")).status).toBe(404);
    const octo = (await (await gh.get("/users/octo/repos?sort=full_name")).json()) as Json[];
    expect(octo.map((repo) => repo.full_name)).toEqual(["octo/empty", "octo/hello-world"]);
    const repo = (await (await gh.get("/repos/acme/api")).json()) as Json;
    expect(repo).toMatchObject({
      full_name: "acme/api",
      owner: { login: "acme", type: "Organization" },
      default_branch: "main",
    });
  });
});
