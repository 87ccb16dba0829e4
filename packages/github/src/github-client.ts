import { Octokit } from "@octokit/rest";
import type { Credential, ToolContext } from "@switchyard/core";
import { ConnectorError } from "@switchyard/core";
import type { z } from "zod";
import type { GithubAllowlist } from "./github-allowlist.js";
import { quietLog } from "./github-app-auth.js";
import { isGithubRequestError } from "./github-error.js";
import { bucketsForResource } from "./github-rate-limits.js";
import { VERSION } from "./version.js";

/** What every GitHub tool gets as `ctx.client`: an Octokit for the current credential plus the settings tools need. */
export interface GithubClient {
  readonly octokit: Octokit;
  /** REST API root without trailing slash; next-page URLs must stay under it. */
  readonly baseUrl: string;
  readonly allowlist: GithubAllowlist;
  /** True for GitHub App installation tokens, which have no "authenticated user". */
  readonly isInstallation: boolean;
}

export type GithubContext = ToolContext<GithubClient>;

export interface GithubClientOptions {
  readonly credential: Credential | undefined;
  readonly baseUrl: string;
  readonly allowlist: GithubAllowlist;
  readonly apiVersion: string;
}

/**
 * One Octokit per credential, with no retry or throttling plugins: core's pipeline retries, paces and
 * classifies, and two layers of retries would multiply each other.
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const octokit = new Octokit({
    ...(options.credential ? { auth: options.credential.value } : {}),
    baseUrl: options.baseUrl,
    userAgent: `switchyard-github/${VERSION}`,
    log: quietLog,
  });
  // Pin the REST API version: 2026-03-10 changed response shapes the wire schemas rely on.
  octokit.hook.before("request", (request) => {
    request.headers["x-github-api-version"] = options.apiVersion;
  });
  return {
    octokit,
    baseUrl: options.baseUrl,
    allowlist: options.allowlist,
    isInstallation: options.credential?.attributes?.kind === "app-installation",
  };
}

export interface GithubResponse<Data> {
  readonly data: Data;
  readonly headers: Record<string, string | number | undefined>;
  readonly status: number;
}

/**
 * Sends one request through the call's Octokit with the call's abort signal, feeds the rate-limit headers to
 * the limiter and records the request id, on success and on error alike (a 403 rate limit carries the
 * headers that matter most), then validates the body against `schema`.
 */
export async function githubRequest<Schema extends z.ZodType>(
  ctx: GithubContext,
  route: string,
  params: Record<string, unknown>,
  schema: Schema,
): Promise<GithubResponse<z.output<Schema>>> {
  let response: { data: unknown; headers: Record<string, string | number | undefined>; status: number };
  try {
    response = await ctx.client.octokit.request(route, { ...params, request: { signal: ctx.signal } });
  } catch (error) {
    if (isGithubRequestError(error) && error.response) observeResponse(ctx, error.response.headers);
    throw error;
  }
  observeResponse(ctx, response.headers);
  return { data: schema.parse(response.data), headers: response.headers, status: response.status };
}

/** Follows a `rel="next"` URL from a Link header, after checking it points back at the configured API. */
export function githubRequestUrl<Schema extends z.ZodType>(
  ctx: GithubContext,
  url: string,
  schema: Schema,
): Promise<GithubResponse<z.output<Schema>>> {
  return githubRequest(ctx, "GET {+url}", { url: checkedNextUrl(url, ctx.client.baseUrl) }, schema);
}

/**
 * A next-page URL comes from the upstream's Link header and travels inside a (signed) cursor. It is only
 * followed when it stays on the API's origin and path, so a crafted header cannot send the token elsewhere.
 * The query is re-encoded: octokit would read a bare `:name` in it as a URL-template variable.
 */
export function checkedNextUrl(url: string, baseUrl: string): string {
  let next: URL;
  try {
    next = new URL(url);
  } catch {
    throw badNextUrl();
  }
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, "");
  if (
    next.origin !== base.origin ||
    !(next.pathname === basePath || next.pathname.startsWith(`${basePath}/`)) ||
    next.username ||
    next.password
  ) {
    throw badNextUrl();
  }
  const query = next.searchParams.toString();
  return `${next.origin}${next.pathname}${query ? `?${query}` : ""}`;
}

function badNextUrl(): ConnectorError {
  return new ConnectorError({
    code: "invalid_response",
    message: "GitHub's next-page link points outside the configured API URL; refusing to follow it.",
  });
}

const toNumber = (value: string | number | undefined) => {
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
};

/** Feeds x-ratelimit-* headers to the bucket(s) of their `x-ratelimit-resource`, and records the request id. */
export function observeResponse(
  ctx: GithubContext,
  headers: Record<string, string | number | undefined>,
): void {
  const requestId = headers["x-github-request-id"];
  ctx.recordRequestId(requestId === undefined ? undefined : String(requestId));
  const remaining = toNumber(headers["x-ratelimit-remaining"]);
  if (remaining === undefined) return;
  const reset = toNumber(headers["x-ratelimit-reset"]);
  const budget = {
    limit: toNumber(headers["x-ratelimit-limit"]),
    remaining,
    resetAt: reset === undefined ? undefined : reset * 1000,
  };
  const resource = headers["x-ratelimit-resource"];
  const buckets = bucketsForResource(resource === undefined ? undefined : String(resource));
  if (buckets === undefined) {
    ctx.observeRateLimit(budget);
    return;
  }
  for (const bucket of buckets) ctx.observeRateLimit(budget, bucket);
}
