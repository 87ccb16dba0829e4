import type { ConnectorInstance } from "@switchyard/core";
import { createConnector } from "@switchyard/core";
import { createJiraAllowlist } from "./jira-allowlist.js";
import { jiraCredentials } from "./jira-auth.js";
import { createJiraClient, type JiraClient } from "./jira-client.js";
import { createJiraErrorMapper } from "./jira-error.js";
import { DEFAULT_COMMENT_CHARS, DEFAULT_DESCRIPTION_CHARS } from "./jira-output.js";
import { jiraProbe } from "./jira-probe.js";
import { JIRA_BUCKETS } from "./jira-rate-limits.js";
import {
  checkCloudId,
  DEFAULT_API_GATEWAY_URL,
  DEFAULT_OAUTH_TOKEN_URL,
  JIRA_ENV,
  type JiraSettings,
  normalizeUrl,
} from "./jira-settings.js";
import { jiraTools } from "./tools/index.js";

/**
 * Builds the Jira connector. Construction never talks to Jira and never needs a credential: a missing one
 * fails the first call with `credentials_missing`, so tools can be listed on a machine without secrets.
 * Malformed settings (an unreadable URL, a bad allowlist entry or cloud id) throw here, at startup.
 */
export function createJiraConnector(settings: JiraSettings = {}): ConnectorInstance {
  const {
    baseUrl,
    email: _email,
    apiToken: _apiToken,
    oauth: _oauth,
    credentials: _credentials,
    cloudId,
    oauthTokenUrl,
    apiGatewayUrl,
    projects,
    maxDescriptionChars,
    maxCommentChars,
    ...runtime
  } = settings;
  const siteUrl = baseUrl ? normalizeUrl(baseUrl, `${JIRA_ENV.baseUrl} / baseUrl`) : undefined;
  const gatewayUrl = normalizeUrl(
    apiGatewayUrl ?? DEFAULT_API_GATEWAY_URL,
    `${JIRA_ENV.apiGatewayUrl} / apiGatewayUrl`,
  );
  const tokenUrl = normalizeUrl(
    oauthTokenUrl ?? DEFAULT_OAUTH_TOKEN_URL,
    `${JIRA_ENV.oauthTokenUrl} / oauthTokenUrl`,
  );
  const checkedCloudId = cloudId ? checkCloudId(cloudId) : undefined;
  const allowlist = createJiraAllowlist(projects);
  const text = {
    descriptionChars: positive(maxDescriptionChars, DEFAULT_DESCRIPTION_CHARS),
    commentChars: positive(maxCommentChars, DEFAULT_COMMENT_CHARS),
  };
  const credentials = jiraCredentials({ settings, siteUrl, gatewayUrl, tokenUrl, cloudId: checkedCloudId });
  return createConnector<JiraClient>({
    id: "jira",
    title: "Jira",
    tools: jiraTools,
    buckets: JIRA_BUCKETS,
    credentials,
    client: (credential) =>
      createJiraClient({ credential, siteUrl, gatewayUrl, cloudId: checkedCloudId, allowlist, text }),
    // Targets of write tools are project keys; approval policy `when-unlisted` asks for the others.
    isListed: (target) => allowlist.allows(target),
    mapError: createJiraErrorMapper(runtime.now ? { now: runtime.now } : {}),
    probe: jiraProbe,
    options: runtime,
  });
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 100 ? Math.floor(value) : fallback;
}
