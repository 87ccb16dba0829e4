import type { ConnectorProbe, DiagnosisProblem } from "@switchyard/core";
import { authTestSchema } from "./slack-api.js";
import { createWebClient, type SlackClient } from "./slack-client.js";
import { classifySlackError } from "./slack-error.js";
import { SLACK_ENV } from "./slack-settings.js";

/** Scopes the read tools need, per token kind (private channels add the groups:* pair). */
const READ_SCOPES = ["channels:read", "channels:history", "users:read"];
const WRITE_SCOPES = ["chat:write", "reactions:write"];

/**
 * One cheap call for `switchyard doctor`: auth.test says who the token acts as, in which workspace, and (in
 * the x-oauth-scopes header) which scopes it carries; missing scopes and a search without a user token are
 * reported as problems.
 */
export const slackProbe: ConnectorProbe<SlackClient> = async ({ client, signal }) => {
  const facts: { status?: number; requestId?: string; retryAfter?: string } = {};
  const web = createWebClient({ apiUrl: client.apiUrl, token: client.token, signal, facts });
  let answer: ReturnType<typeof authTestSchema.parse>;
  try {
    answer = authTestSchema.parse(await web.apiCall("auth.test", {}));
  } catch (error) {
    throw classifySlackError(error, { method: "auth.test", ...facts }, client.errorOptions) ?? error;
  }
  const scopes = answer.response_metadata?.scopes;
  const problems: DiagnosisProblem[] = [...client.setupProblems];
  if (scopes) {
    const missingReads = READ_SCOPES.filter((scope) => !scopes.includes(scope));
    if (missingReads.length > 0) {
      problems.push({
        message: `The ${client.tokenKind} token lacks ${missingReads.join(", ")}; the read tools will fail with missing_scope.`,
        fix: `Add ${missingReads.join(", ")} to the Slack app's ${client.tokenKind} token scopes and reinstall the app.`,
      });
    }
    const missingWrites = WRITE_SCOPES.filter((scope) => !scopes.includes(scope));
    if (missingWrites.length > 0) {
      problems.push({
        message: `The ${client.tokenKind} token lacks ${missingWrites.join(", ")} (needed only when writes are allowed).`,
        fix: `Add ${missingWrites.join(", ")} to the app's scopes and reinstall it, if the write tools are to be used.`,
      });
    }
    if (client.tokenKind === "user" && !scopes.includes("search:read")) {
      problems.push({
        message: "The user token lacks search:read; slack_search_messages will fail.",
        fix: "Add the search:read user scope to the Slack app and reinstall it.",
      });
    }
  }
  if (client.tokenKind === "bot" && !client.userTokenSource) {
    problems.push({
      message:
        "Only a bot token is configured; Slack lets only user tokens search, so slack_search_messages is refused.",
      fix: `Set ${SLACK_ENV.userToken} to a user token with the search:read scope to enable search.`,
    });
  }
  const who = answer.user ? `${answer.user} (${answer.user_id ?? "?"})` : (answer.user_id ?? "unknown");
  return {
    identity: `${client.tokenKind} ${who} in ${answer.team ?? "?"} (${answer.team_id ?? "?"})`,
    ...(scopes ? { scopes } : {}),
    problems,
  };
};
