import { setTimeout as sleep } from "node:timers/promises";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import {
  type BucketSpec,
  type BulkheadSpec,
  type ConnectorInstance,
  createConnector,
  defineTool,
  fromValue,
  httpStatusError,
  parseRetryAfter,
  READ_ANNOTATIONS,
  type RedisOptions,
} from "@switchyard/core";
import { createGithubConnector } from "@switchyard/github";
import { z } from "zod";

/** The one request every client makes: GitHub's "get a repository" on the rate-limited loopback server. */
export const RATE_PATH = "/github/repos/acme/api";
export const RATE_TOKEN = "ghp_ratebench0000000000000000000000000000";

/** The burst: `total` calls submitted at once; resolves with successes and errors surfaced to the caller. */
export async function burst(
  total: number,
  call: () => Promise<unknown>,
): Promise<{ ok: number; errors: number; errorKinds: Record<string, number> }> {
  const errorKinds: Record<string, number> = {};
  const results = await Promise.allSettled(Array.from({ length: total }, () => call()));
  let ok = 0;
  for (const result of results) {
    if (result.status === "fulfilled") ok += 1;
    else {
      const reason = result.reason as { code?: string; status?: number; message?: string };
      const kind =
        reason.code ?? (reason.status ? `HTTP ${reason.status}` : (reason.message ?? "error").slice(0, 40));
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    }
  }
  return { ok, errors: total - ok, errorKinds };
}

/**
 * A connector on core alone: one tool, one `read` bucket with the given spec, the pipeline's defaults for
 * everything else (retries honour Retry-After, a 429 pauses the whole bucket). With `redis`, the bucket and
 * the pauses are shared by every process using the same Redis and prefix.
 */
export function coreRateConnector(
  baseUrl: string,
  spec: BucketSpec | undefined,
  redis?: RedisOptions,
  bulkhead?: BulkheadSpec,
): ConnectorInstance {
  const tool = defineTool({
    name: "ratebench_get_repository",
    title: "Get the repository",
    description: "One GET against the rate-limited loopback server.",
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    annotations: READ_ANNOTATIONS,
    async execute(_input, ctx) {
      const response = await fetch(`${baseUrl}${RATE_PATH}`, {
        signal: ctx.signal,
        headers: { authorization: `Bearer ${ctx.credential?.value}` },
      });
      await response.arrayBuffer();
      if (!response.ok) {
        throw httpStatusError({
          status: response.status,
          retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
        });
      }
      return { ok: true };
    },
  });
  return createConnector({
    id: "ratebench",
    title: "Rate bench",
    tools: [tool],
    buckets: spec ? { read: spec } : {},
    credentials: fromValue(RATE_TOKEN),
    client: () => ({}),
    options: { ...(redis ? { redis } : {}), ...(bulkhead ? { resilience: { bulkhead } } : {}) },
  });
}

/** The GitHub connector as shipped: `read` bucket { maxConcurrent: 10 }, no reservoir; it learns from 429s. */
export function githubRateConnector(baseUrl: string, bulkhead?: BulkheadSpec): ConnectorInstance {
  return createGithubConnector({
    token: RATE_TOKEN,
    apiUrl: `${baseUrl}/github`,
    ...(bulkhead ? { resilience: { bulkhead } } : {}),
  });
}

/** @octokit/rest with @octokit/plugin-throttling, retrying every secondary limit (up to `retries` times). */
export function throttledOctokit(baseUrl: string, retries: number): () => Promise<unknown> {
  const ThrottledOctokit = Octokit.plugin(throttling);
  const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const octokit = new ThrottledOctokit({
    auth: RATE_TOKEN,
    baseUrl: `${baseUrl}/github`,
    log: quiet,
    throttle: {
      onRateLimit: (_retryAfter, _options, _octokit, retryCount) => retryCount < retries,
      onSecondaryRateLimit: (_retryAfter, _options, _octokit, retryCount) => retryCount < retries,
    },
  });
  return () => octokit.rest.repos.get({ owner: "acme", repo: "api" });
}

/** fetch in a loop: on 429 wait Retry-After and try again, at most `retries` times, no coordination at all. */
export function naiveRetryLoop(baseUrl: string, retries: number): () => Promise<void> {
  return async () => {
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetch(`${baseUrl}${RATE_PATH}`, {
        headers: { authorization: `Bearer ${RATE_TOKEN}` },
      });
      await response.arrayBuffer();
      if (response.status !== 429) {
        if (!response.ok)
          throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
        return;
      }
      if (attempt >= retries) throw Object.assign(new Error("HTTP 429"), { status: 429 });
      await sleep((Number(response.headers.get("retry-after")) || 1) * 1000);
    }
  };
}
