import type { SandboxUpstream } from "../upstream.js";
import { createSlackSandboxHandlers, type SlackSandboxOptions } from "./slack-handlers.js";
import type { SlackSandboxState } from "./slack-state.js";
import {
  SLACK_SANDBOX_BOT_TOKEN,
  SLACK_SANDBOX_CLIENT_ID,
  SLACK_SANDBOX_CLIENT_SECRET,
  SLACK_SANDBOX_REFRESH_TOKEN,
  SLACK_SANDBOX_USER_TOKEN,
} from "./slack-tokens.js";

/** Options for the Slack fake inside `startSandbox`; bases, faults, seed and clock come from the sandbox. */
export type SlackUpstreamOptions = Omit<SlackSandboxOptions, "baseUrl" | "faults" | "state" | "seed" | "now">;

/** The environment a Slack client needs; `SLACK_API_URL` ends with `/api/`, like the SDK's `slackApiUrl`. */
export function slackEnv(url: string): Record<string, string> {
  return {
    SLACK_API_URL: `${url.replace(/\/$/, "")}/api/`,
    SLACK_BOT_TOKEN: SLACK_SANDBOX_BOT_TOKEN,
    SLACK_USER_TOKEN: SLACK_SANDBOX_USER_TOKEN,
    SLACK_CLIENT_ID: SLACK_SANDBOX_CLIENT_ID,
    SLACK_CLIENT_SECRET: SLACK_SANDBOX_CLIENT_SECRET,
    SLACK_REFRESH_TOKEN: SLACK_SANDBOX_REFRESH_TOKEN,
  };
}

/** Mounted at `/slack`: the Web API answers under `/slack/api/<method>`. */
export const slackUpstream: SandboxUpstream<SlackUpstreamOptions, SlackSandboxState> = {
  name: "slack",
  create({ mountPath, faults, seed, now, options }) {
    const sandbox = createSlackSandboxHandlers({ ...options, seed, now, faults, baseUrl: mountPath });
    return {
      handlers: sandbox.handlers,
      state: sandbox.state,
      summary: () => sandbox.state.summary(),
      env: slackEnv,
      reset: () => sandbox.state.reset(),
    };
  },
};
