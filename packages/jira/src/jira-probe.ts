import type { ConnectorProbe, DiagnosisProblem, ProbeResult } from "@switchyard/core";
import { myselfSchema } from "./jira-api.js";
import type { JiraClient } from "./jira-client.js";
import { sendJira } from "./jira-client.js";
import { readRateLimit } from "./jira-rate-limits.js";
import { JIRA_ENV } from "./jira-settings.js";

const NEEDED_SCOPES = ["read:jira-work", "write:jira-work", "read:jira-user"];

/**
 * One cheap call for `switchyard doctor`: GET /rest/api/3/myself shows who the credential acts as, and its
 * headers the remaining quota. For OAuth it also reports missing scopes and a refresh token that is not
 * persisted (a restart would replay a rotated token, which revokes the grant after the reuse window).
 */
export const jiraProbe: ConnectorProbe<JiraClient> = async ({ client, credential, signal }) => {
  const response = await sendJira(
    client,
    { method: "GET", path: "/rest/api/3/myself" },
    { signal, deadlineAt: Date.now() + 10_000 },
  );
  const user = myselfSchema.safeParse(response.data);
  const problems: DiagnosisProblem[] = [];
  const attributes = credential?.attributes ?? {};
  const scopes = attributes.scopes?.split(/\s+/).filter((scope) => scope.length > 0);
  if (attributes.kind === "oauth") {
    if (attributes.refreshTokenPersisted === "false") {
      problems.push({
        message: "Rotated OAuth refresh tokens are kept in memory only.",
        fix: `Set ${JIRA_ENV.oauthRefreshTokenFile} (or pass oauth.onRefreshToken) so a restart does not replay an old refresh token, which revokes the grant.`,
      });
    }
    const missing = scopes ? NEEDED_SCOPES.filter((scope) => !scopes.includes(scope)) : [];
    if (missing.length > 0) {
      problems.push({
        message: `The OAuth grant lacks ${missing.join(", ")}.`,
        fix: "Add the scopes to the app in the developer console and re-authorize.",
      });
    }
  }
  const rate = readRateLimit(response.headers, Date.now());
  const result: ProbeResult = {
    identity: user.success
      ? `${user.data.displayName ?? "(no display name)"} (${user.data.accountId}) on ${client.siteUrl ?? client.apiBaseUrl}`
      : "an unknown Jira account",
    ...(scopes ? { scopes } : {}),
    rateLimit: {
      ...(rate.limit === undefined ? {} : { limit: rate.limit }),
      ...(rate.remaining === undefined ? {} : { remaining: rate.remaining }),
      ...(rate.resetAt === undefined ? {} : { resetAt: rate.resetAt }),
    },
    problems,
  };
  return result;
};
