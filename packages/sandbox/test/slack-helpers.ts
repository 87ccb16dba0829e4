import { type Logger, LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";
import { expect } from "vitest";
import { type Sandbox, type StartSandboxOptions, startSandbox } from "../src/index.js";
import { SLACK_SANDBOX_BOT_TOKEN } from "../src/slack/index.js";

/** The SDK logs `[ERROR]` response messages and rate-limit notices; tests assert on them instead. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export interface SlackTestClient {
  readonly sandbox: Sandbox<"slack">;
  /** `http://127.0.0.1:PORT/slack/api/`, as `SLACK_API_URL`. */
  readonly apiUrl: string;
  /** A real WebClient on the sandbox: no retries, quiet, built after the server is up. */
  client(token?: string, options?: WebClientOptions): WebClient;
  /** A raw POST of a form (or JSON with `json: true`), for what the SDK will not send. */
  post(
    method: string,
    args: Record<string, string>,
    init?: { token?: string | null; json?: boolean },
  ): Promise<Response>;
}

export async function slackSandbox(options: StartSandboxOptions<"slack"> = {}): Promise<SlackTestClient> {
  const sandbox = await startSandbox({ ...options, upstreams: ["slack"] });
  const apiUrl = sandbox.env.SLACK_API_URL as string;
  return {
    sandbox,
    apiUrl,
    client: (token = SLACK_SANDBOX_BOT_TOKEN, extra = {}) =>
      new WebClient(token, {
        slackApiUrl: apiUrl,
        retryConfig: { retries: 0 },
        logger: silentLogger,
        ...extra,
      }),
    post: (method, args, init = {}) => {
      const headers: Record<string, string> = {
        "content-type": init.json ? "application/json; charset=utf-8" : "application/x-www-form-urlencoded",
      };
      const token = init.token === undefined ? SLACK_SANDBOX_BOT_TOKEN : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      return fetch(`${apiUrl}${method}`, {
        method: "POST",
        headers,
        body: init.json ? JSON.stringify(args) : new URLSearchParams(args).toString(),
      });
    },
  };
}

/** The `data` of the WebAPIPlatformError a call rejects with (failing the test if it resolves). */
export async function platformError(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    const coded = error as { code?: string; data?: Record<string, unknown> };
    expect(coded.code).toBe("slack_webapi_platform_error");
    return coded.data as Record<string, unknown>;
  }
  throw new Error("expected the call to fail with a platform error");
}

/** A controllable clock for token expiry and rate-limit windows. */
export function manualClock(start = Date.UTC(2026, 8, 1, 12)): {
  now: () => number;
  advance(ms: number): void;
} {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}
