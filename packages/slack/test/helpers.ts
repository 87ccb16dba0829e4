import { readFileSync } from "node:fs";
import { ConnectorError } from "@switchyard/core";
import { HttpResponse, http } from "msw";
import { expect } from "vitest";
import { createSlackConnector } from "../src/slack-connector.js";
import type { SlackSettings } from "../src/slack-settings.js";

export const API = "https://slack.com/api";
/** Syntactically real tokens; none of them may show up in any error or output. */
export const CANARY_BOT_TOKEN = `xoxb-1111111111-2222222222-${"C4n4ryB0t".repeat(3)}`;
export const CANARY_USER_TOKEN = `xoxp-1111111111-3333333333-${"C4n4ryUs3r".repeat(3)}`;
export const CANARY_REFRESH_TOKEN = `xoxe-1-${"C4n4ryR3fr3sh".repeat(3)}`;
export const CANARY_CLIENT_SECRET = `c4n4ry${"5ecret".repeat(4)}`;

export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"));
}

let requestCounter = 0;
/** Headers Slack sends with every answer. */
export function slackHeaders(extra: Record<string, string> = {}): Record<string, string> {
  requestCounter += 1;
  return {
    "content-type": "application/json; charset=utf-8",
    "x-slack-req-id": `req-${requestCounter.toString(16).padStart(8, "0")}`,
    ...extra,
  };
}

export const ok = (body: Record<string, unknown> = {}, extraHeaders: Record<string, string> = {}) =>
  HttpResponse.json({ ok: true, ...body }, { headers: slackHeaders(extraHeaders) });

/** Slack's way of failing: HTTP 200 with ok: false. */
export const slackError = (error: string, extra: Record<string, unknown> = {}) =>
  HttpResponse.json({ ok: false, error, ...extra }, { headers: slackHeaders() });

export interface SlackRequest {
  /** The form fields the SDK sent (application/x-www-form-urlencoded). */
  readonly form: URLSearchParams;
  /** The bearer token of the request, or undefined. */
  readonly token: string | undefined;
  readonly request: Request;
}

/** An MSW handler for one Web API method (always POST, form-encoded). */
export function method(
  name: string,
  respond: (request: SlackRequest) => Response | Promise<Response>,
  apiUrl = API,
) {
  return http.post(`${apiUrl}/${name}`, async ({ request }) => {
    const form = new URLSearchParams(await request.clone().text());
    const authorization = request.headers.get("authorization");
    const token = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined;
    return respond({ form, token, request });
  });
}

/** The methods (path tails) of the requests MSW saw, in order. */
export function seenMethods(requests: readonly Request[]): string[] {
  return requests.map((request) => new URL(request.url).pathname.replace(/^\/api\//, ""));
}

/** Small retry delays and a short ceiling on honoured waits, so error-path tests stay fast. */
export function connector(settings: SlackSettings = {}) {
  return createSlackConnector({
    botToken: CANARY_BOT_TOKEN,
    channels: ["ops", "C0ALLOWED1"],
    retry: { baseDelayMs: 5, minDelayMs: 1, maxDelayMs: 20, maxRetryAfterMs: 2_000 },
    defaultRetryAfterMs: 20,
    ...settings,
  });
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
