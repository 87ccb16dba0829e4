import { readFileSync } from "node:fs";
import { ConnectorError } from "@switchyard/core";
import { expect } from "vitest";
import { createGithubConnector } from "../src/github-connector.js";
import type { GithubSettings } from "../src/github-settings.js";

export const API = "https://api.github.com";
/** A syntactically real classic PAT; it must never show up in any error. */
export const CANARY_TOKEN = `ghp_${"C4n4ryT0k3n".repeat(3)}abc`;

export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"));
}

/** Small retry delays and a short ceiling on honoured waits, so error-path tests stay fast. */
export function connector(settings: GithubSettings = {}) {
  return createGithubConnector({
    token: CANARY_TOKEN,
    retry: { baseDelayMs: 5, minDelayMs: 1, maxDelayMs: 20, maxRetryAfterMs: 2_000 },
    secondaryRateLimitWaitMs: 20,
    ...settings,
  });
}

export const rateHeaders = (resource = "core", remaining = 4999, limit = 5000) => ({
  "x-ratelimit-limit": String(limit),
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-used": String(limit - remaining),
  "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
  "x-ratelimit-resource": resource,
});

let requestCounter = 0;
/** Headers GitHub sends with every answer. */
export function githubHeaders(extra: Record<string, string> = {}, resource = "core"): Record<string, string> {
  requestCounter += 1;
  return {
    "content-type": "application/json; charset=utf-8",
    "x-github-request-id": `C0DE:1234:${requestCounter.toString(16).toUpperCase()}:ABCD:65F0A1B2`,
    "x-github-api-version-selected": "2022-11-28",
    ...rateHeaders(resource),
    ...extra,
  };
}

/** Awaits a call expected to fail and returns the ConnectorError. */
export async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(ConnectorError.isInstance(error)).toBe(true);
    return error as ConnectorError;
  }
  throw new Error("expected the call to fail");
}

/** Builds a Link header the way GitHub does. */
export function linkHeader(links: Record<string, string>): string {
  return Object.entries(links)
    .map(([rel, url]) => `<${url}>; rel="${rel}"`)
    .join(", ");
}
