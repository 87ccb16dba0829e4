import type { SandboxUpstream } from "../upstream.js";
import { SANDBOX_EMAIL } from "./jira-catalog.js";
import { createJiraSandboxHandlers, type JiraSandboxOptions } from "./jira-handlers.js";
import { JIRA_SANDBOX_API_TOKEN, type JiraSandboxState } from "./jira-state.js";

/** Options for the Jira fake inside `startSandbox`; bases, faults, seed and clock come from the sandbox. */
export type JiraUpstreamOptions = Omit<
  JiraSandboxOptions,
  "siteUrl" | "authUrl" | "gatewayUrl" | "faults" | "state" | "seed" | "now"
>;

/** Below the mount path: the stand-ins for auth.atlassian.com and api.atlassian.com. */
export const JIRA_AUTH_PATH = "/auth";
export const JIRA_GATEWAY_PATH = "/gateway";

/**
 * Mounted at `/jira` (the site, like `https://<site>.atlassian.net`), `/jira/auth` (`auth.atlassian.com`)
 * and `/jira/gateway` (`api.atlassian.com`, with the API under `/ex/jira/{cloudId}`).
 */
export const jiraUpstream: SandboxUpstream<JiraUpstreamOptions, JiraSandboxState> = {
  name: "jira",
  create({ mountPath, faults, seed, now, options }) {
    const sandbox = createJiraSandboxHandlers({
      ...options,
      seed,
      now,
      faults,
      siteUrl: mountPath,
      authUrl: `${mountPath}${JIRA_AUTH_PATH}`,
      gatewayUrl: `${mountPath}${JIRA_GATEWAY_PATH}`,
    });
    const { state } = sandbox;
    return {
      handlers: sandbox.handlers,
      state,
      summary: () => state.summary(),
      env: (url) => ({
        JIRA_BASE_URL: url,
        JIRA_EMAIL: SANDBOX_EMAIL,
        JIRA_API_TOKEN: JIRA_SANDBOX_API_TOKEN,
        JIRA_OAUTH_CLIENT_ID: state.oauth.clientId,
        JIRA_OAUTH_CLIENT_SECRET: state.oauth.clientSecret,
        JIRA_OAUTH_REFRESH_TOKEN: state.oauth.initialRefreshToken,
        JIRA_AUTH_BASE_URL: `${url}${JIRA_AUTH_PATH}`,
        // The connector's name for it: the full token endpoint.
        JIRA_OAUTH_TOKEN_URL: `${url}${JIRA_AUTH_PATH}/oauth/token`,
        JIRA_API_GATEWAY_URL: `${url}${JIRA_GATEWAY_PATH}`,
        JIRA_CLOUD_ID: state.cloudId,
      }),
      reset: () => state.reset(),
    };
  },
};
