import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { API_ISSUE_COUNT, createGithubSandboxHandlers } from "../src/index.js";
import { parseLink, TOKEN } from "./helpers.js";

/** The same handlers in-process, as CONTRACT_TARGET=mock uses them: setupServer, no socket at all. */

const github = createGithubSandboxHandlers({
  baseUrl: ["https://api.github.com", "https://ghe.example.com/api/v3"],
});
const server = setupServer(...github.handlers);
const unhandled: string[] = [];
server.events.on("request:unhandled", ({ request }) => {
  unhandled.push(`${request.method} ${request.url}`);
});

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  github.reset();
  expect(unhandled).toEqual([]);
});
afterAll(() => server.close());

const headers = { authorization: `token ${TOKEN}`, accept: "application/vnd.github+json" };

describe("createGithubSandboxHandlers under setupServer", () => {
  it("pages through https://api.github.com with links on api.github.com", async () => {
    const seen = new Set<number>();
    let next: string | undefined = "https://api.github.com/repos/acme/api/issues?state=all&per_page=100";
    let pages = 0;
    while (next) {
      const response = await fetch(next, { headers });
      expect(response.status).toBe(200);
      for (const issue of (await response.json()) as { number: number; html_url: string }[]) {
        seen.add(issue.number);
        expect(issue.html_url.startsWith("https://github.com/acme/api/")).toBe(true);
      }
      next = parseLink(response.headers.get("link")).next;
      if (next) expect(next.startsWith("https://api.github.com/repositories/")).toBe(true);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen.size).toBe(API_ISSUE_COUNT);
  });

  it("answers on the GHES root too, with web URLs on the GHES host", async () => {
    const response = await fetch("https://ghe.example.com/api/v3/repos/acme/api/issues/1", { headers });
    expect(await response.json()).toMatchObject({
      url: "https://ghe.example.com/api/v3/repos/acme/api/issues/1",
      html_url: "https://ghe.example.com/acme/api/issues/1",
    });
  });

  it("keeps state and answers unknown paths under the base with GitHub's 404 (never an unhandled request)", async () => {
    const created = await fetch("https://api.github.com/repos/acme/web/issues", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ title: "In-process" }),
    });
    expect(created.status).toBe(201);
    expect(github.state.repo("acme", "web")?.issues.size).toBeGreaterThan(0);
    const missing = await fetch("https://api.github.com/definitely/not/a/route", { headers });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: "Not Found" });
  });

  it("faults behave the same way in-process", async () => {
    github.faults.set({ kind: "connection_reset", count: 1 });
    await expect(fetch("https://api.github.com/repos/acme/api", { headers })).rejects.toThrow(TypeError);

    github.faults.set({ kind: "truncated_body", count: 1 });
    const truncated = await fetch("https://api.github.com/repos/acme/api", { headers });
    await expect(truncated.json()).rejects.toThrow();

    github.faults.set({ kind: "timeout", count: 1 });
    await expect(
      fetch("https://api.github.com/repos/acme/api", { headers, signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();

    github.faults.set({ kind: "secondary_rate_limit", retryAfterSeconds: 5, count: 1 });
    const limited = await fetch("https://api.github.com/repos/acme/api", { headers });
    expect(limited.status).toBe(403);
    expect(limited.headers.get("retry-after")).toBe("5");
    expect((await fetch("https://api.github.com/repos/acme/api", { headers })).status).toBe(200);
  });
});
