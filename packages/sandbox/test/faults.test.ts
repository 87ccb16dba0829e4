import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FaultSpecError, parseFaultSpec } from "../src/index.js";
import { type GithubTestClient, githubSandbox } from "./helpers.js";

type Json = Record<string, any>;

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

const faults = () => gh.sandbox.faults;

describe("fault kinds, seen by a plain fetch", () => {
  it("rate_limit_429 with and without Retry-After", async () => {
    faults().set("github", { kind: "rate_limit_429", retryAfterSeconds: 2, count: 1 });
    const limited = await gh.get("/repos/acme/api");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.headers.get("x-github-request-id")).toBeTruthy();
    faults().set("github", { kind: "rate_limit_429", count: 1 });
    const bare = await gh.get("/repos/acme/api");
    expect(bare.status).toBe(429);
    expect(bare.headers.get("retry-after")).toBeNull();
    expect((await gh.get("/repos/acme/api")).status).toBe(200);
  });

  it("secondary_rate_limit: 403 whose message names the secondary rate limit", async () => {
    faults().set("github", { kind: "secondary_rate_limit", retryAfterSeconds: 30, count: 1 });
    const response = await gh.get("/repos/acme/api");
    expect(response.status).toBe(403);
    expect(response.headers.get("retry-after")).toBe("30");
    expect(((await response.json()) as Json).message).toMatch(/You have exceeded a secondary rate limit/);
  });

  it("primary_rate_limit: 403 with x-ratelimit-remaining 0 and a reset time", async () => {
    faults().set("github", { kind: "primary_rate_limit", resetAfterSeconds: 120, count: 1 });
    const before = Math.floor(Date.now() / 1000);
    const response = await gh.get("/repos/acme/api");
    expect(response.status).toBe(403);
    expect(response.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(before + 120);
    expect(((await response.json()) as Json).message).toMatch(/^API rate limit exceeded/);
  });

  it("server_error 500, 502 and 503", async () => {
    for (const status of [500, 502, 503] as const) {
      faults().set("github", { kind: "server_error", status, count: 1 });
      const response = await gh.get("/repos/acme/api");
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ status: String(status) });
    }
  });

  it("connection_reset: fetch rejects", async () => {
    faults().set("github", { kind: "connection_reset", count: 1 });
    await expect(gh.get("/repos/acme/api")).rejects.toThrow(TypeError);
    expect((await gh.get("/repos/acme/api")).status).toBe(200);
  });

  it("timeout: no answer until the client's AbortSignal fires", async () => {
    faults().set("github", { kind: "timeout", count: 1 });
    const started = Date.now();
    const error = await gh
      .get("/repos/acme/api", { signal: AbortSignal.timeout(150) })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("TimeoutError");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await gh.get("/repos/acme/api")).status).toBe(200);
  });

  it("timeout: clearing the fault releases held requests (their connection is reset)", async () => {
    faults().set("github", { kind: "timeout" });
    const pending = gh.get("/repos/acme/api");
    // Clear only once the request is really held (a loaded machine can take a while to deliver it).
    await expect.poll(() => faults().list("github")[0]?.applied ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    faults().clear("github");
    await expect(pending).rejects.toThrow(TypeError);
  });

  it("malformed_json: 200 whose JSON does not parse", async () => {
    faults().set("github", { kind: "malformed_json", count: 1 });
    const response = await gh.get("/repos/acme/api");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it("truncated_body: the real answer, cut short; reading it fails", async () => {
    faults().set("github", { kind: "truncated_body", count: 1 });
    const response = await gh.get("/repos/acme/api");
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("content-length"))).toBeGreaterThan(100);
    await expect(response.json()).rejects.toThrow();
  });

  it("html_error: a proxy's HTML page", async () => {
    faults().set("github", { kind: "html_error", count: 1 });
    const response = await gh.get("/repos/acme/api");
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("<h1>502 Bad Gateway</h1>");
  });

  it("expired_credential: 401 Bad credentials even for a good token", async () => {
    faults().set("github", { kind: "expired_credential", count: 1 });
    const response = await gh.get("/repos/acme/api");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: "Bad credentials" });
  });
});

describe("fault scope", () => {
  it("count: applies to the next N requests, then the fault is gone", async () => {
    faults().set("github", { kind: "server_error", status: 503, count: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await gh.get("/repos/acme/api")).status);
    expect(statuses).toEqual([503, 503, 503, 200, 200]);
    expect(faults().list("github")).toEqual([]);
  });

  it("route and method: only matching requests fail", async () => {
    faults().set("github", { kind: "server_error", route: "/repos/:owner/:repo/issues", method: "POST" });
    expect((await gh.get("/repos/acme/api/issues")).status).toBe(200);
    expect((await gh.send("POST", "/repos/acme/api/issues", { title: "x" })).status).toBe(500);
    expect((await gh.send("POST", "/repos/acme/api/issues/1/comments", { body: "x" })).status).toBe(201);
    faults().set("github", { kind: "server_error", route: "/search/*" });
    expect((await gh.get("/search/issues?q=repo:acme/api")).status).toBe(500);
    expect((await gh.get("/repos/acme/api")).status).toBe(200);
  });

  it("fraction: roughly that share fails, reproducibly for the same seed", async () => {
    const run = async () => {
      faults().set("github", { kind: "server_error", fraction: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await gh.get("/rate_limit")).status);
      faults().clear("github");
      return statuses;
    };
    const first = await run();
    const failures = first.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThan(10);
    expect(failures).toBeLessThan(30);
    expect(await run()).toEqual(first);
  });

  it("rate_profile: N requests per second pass, the rest get 429 with Retry-After", async () => {
    faults().set("github", { kind: "rate_profile", requestsPerSecond: 5 });
    const statuses = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const response = await gh.get("/rate_limit");
        return { status: response.status, retryAfter: response.headers.get("retry-after") };
      }),
    );
    expect(statuses.filter((s) => s.status === 200)).toHaveLength(5);
    const refused = statuses.filter((s) => s.status === 429);
    expect(refused).toHaveLength(3);
    expect(refused.every((s) => s.retryAfter === "1")).toBe(true);
    expect(faults().list("github")[0]).toMatchObject({ applied: 3, remaining: null });
  });

  it("invalid faults are refused with a message", () => {
    expect(() => parseFaultSpec({ kind: "meteor" })).toThrow(FaultSpecError);
    expect(() => parseFaultSpec({ kind: "server_error", status: 404 })).toThrow(/500, 502, 503/);
    expect(() => parseFaultSpec({ kind: "timeout", retryAfterSeconds: 1 })).toThrow(/no field/);
    expect(() => parseFaultSpec({ kind: "rate_profile" })).toThrow(/requestsPerSecond/);
    expect(() => faults().set("slack", { kind: "timeout" })).toThrow(/no upstream "slack"/);
  });
});

describe("the HTTP control endpoints", () => {
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${gh.sandbox.url}/__sandbox/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });

  it("POST /__sandbox/faults adds faults that the next requests meet; DELETE clears them", async () => {
    const added = await control("POST", "faults", {
      upstream: "github",
      fault: { kind: "rate_limit_429", retryAfterSeconds: 2, count: 3 },
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({
      upstream: "github",
      faults: [{ id: expect.any(Number), spec: { kind: "rate_limit_429" }, applied: 0, remaining: 3 }],
    });
    expect((await gh.get("/repos/acme/api")).status).toBe(429);
    const state = (await (await control("GET", "state")).json()) as Json;
    expect(state.upstreams.github.faults[0]).toMatchObject({ applied: 1, remaining: 2 });
    const cleared = await control("DELETE", "faults?upstream=github");
    expect(await cleared.json()).toEqual({ cleared: ["github"] });
    expect((await gh.get("/repos/acme/api")).status).toBe(200);
  });

  it("replace: true swaps the list; invalid faults and unknown upstreams are refused", async () => {
    await control("POST", "faults", { upstream: "github", fault: { kind: "server_error" } });
    const replaced = await control("POST", "faults", {
      upstream: "github",
      replace: true,
      faults: [{ kind: "html_error", status: 503 }],
    });
    expect(((await replaced.json()) as Json).faults.map((fault: Json) => fault.spec.kind)).toEqual([
      "html_error",
    ]);
    expect((await gh.get("/repos/acme/api")).status).toBe(503);
    const invalid = await control("POST", "faults", { upstream: "github", fault: { kind: "nope" } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as Json).message).toMatch(/Unknown fault kind/);
    expect((await control("POST", "faults", { upstream: "slack", fault: { kind: "timeout" } })).status).toBe(
      404,
    );
    expect((await control("POST", "faults", "not an object")).status).toBe(400);
    expect((await control("DELETE", "faults")).status).toBe(200);
  });

  it("GET /__sandbox/state and /health describe the sandbox; POST /__sandbox/reset re-seeds it", async () => {
    expect(await (await control("GET", "health")).json()).toEqual({ ok: true, upstreams: ["github"] });
    await gh.send("POST", "/repos/acme/web/issues", { title: "To be forgotten" });
    const state = (await (await control("GET", "state")).json()) as Json;
    expect(state.url).toBe(gh.sandbox.url);
    expect(state.upstreams.github.url).toBe(gh.api);
    const web = state.upstreams.github.state.repositories.find((repo: Json) => repo.fullName === "acme/web");
    const issuesBefore = web.issues;
    await control("POST", "faults", { upstream: "github", fault: { kind: "server_error" } });
    const reset = await control("POST", "reset");
    expect(await reset.json()).toEqual({ reset: ["github"] });
    const after = (await (await control("GET", "state")).json()) as Json;
    const webAfter = after.upstreams.github.state.repositories.find(
      (repo: Json) => repo.fullName === "acme/web",
    );
    expect(webAfter.issues).toBe(issuesBefore - 1);
    expect(after.upstreams.github.faults).toEqual([]);
  });

  it("the control endpoints are not affected by upstream faults", async () => {
    faults().set("github", { kind: "connection_reset" });
    expect((await control("GET", "health")).status).toBe(200);
    faults().clear();
  });
});

describe("concurrency", () => {
  it("serves many concurrent reads and writes consistently", async () => {
    const reads = Array.from({ length: 30 }, (_, i) => gh.get(`/repos/acme/api/issues/${i + 1}`));
    const writes = Array.from({ length: 10 }, (_, i) =>
      gh.send("POST", "/repos/acme/web/issues", { title: `c${i}` }),
    );
    const responses = await Promise.all([...reads, ...writes]);
    expect(responses.map((response) => response.status)).toEqual([
      ...reads.map(() => 200),
      ...writes.map(() => 201),
    ]);
    const numbers = await Promise.all(
      responses.slice(30).map(async (response) => ((await response.json()) as Json).number),
    );
    expect(new Set(numbers).size).toBe(10);
    const listed = (await (await gh.get("/repos/acme/web/issues?per_page=100")).json()) as Json[];
    for (const number of numbers) expect(listed.some((issue) => issue.number === number)).toBe(true);
  });
});
