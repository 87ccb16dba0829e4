import type { ConnectorInstance, DiagnosisProblem } from "@switchyard/core";
import { createConnector } from "@switchyard/core";
import { createSlackAllowlist } from "./slack-allowlist.js";
import { slackCredentials, tokenKindOf } from "./slack-auth.js";
import { SlackChannelDirectory } from "./slack-channels.js";
import { type SlackClient, SlackWebClients } from "./slack-client.js";
import { createSlackErrorMapper } from "./slack-error.js";
import { slackProbe } from "./slack-probe.js";
import { slackBuckets } from "./slack-rate-limits.js";
import { normalizeApiUrl, SLACK_ENV, type SlackSettings, type SlackTokenKind } from "./slack-settings.js";
import { SlackUserDirectory } from "./slack-users.js";
import { isChannelId } from "./slack-validation.js";
import { slackTools } from "./tools/index.js";

const DEFAULT_USER_LOOKUPS_PER_CALL = 10;

/**
 * Builds the Slack connector. Construction never talks to Slack and never needs a credential: a missing one
 * fails the first call with `credentials_missing`, so tools can be listed on a machine without secrets.
 * Malformed settings (an unreadable API URL, a bad channel entry) throw here, at startup.
 */
export function createSlackConnector(settings: SlackSettings = {}): ConnectorInstance {
  const {
    botToken: _botToken,
    userToken: _userToken,
    rotation: _rotation,
    credentials: _credentials,
    apiUrl,
    channels,
    allowBroadcastMentions,
    unfurlLinks,
    unfurlMedia,
    historyProfile,
    rateLimits,
    userCacheTtlMs,
    userLookupsPerCall,
    defaultRetryAfterMs,
    warn: _warn,
    ...runtime
  } = settings;
  const baseUrl = normalizeApiUrl(apiUrl);
  const allowlist = createSlackAllowlist(channels);
  const sources = slackCredentials(settings, baseUrl);
  const now = runtime.now;
  const users = new SlackUserDirectory({ ttlMs: userCacheTtlMs, ...(now ? { now } : {}) });
  const channelDirectory = new SlackChannelDirectory({ ttlMs: userCacheTtlMs, ...(now ? { now } : {}) });
  const errorOptions = { defaultRetryAfterMs, ...(now ? { now } : {}) };
  const profile = historyProfile ?? "standard";
  const setupProblems: DiagnosisProblem[] = sources.refreshTokenInMemoryOnly
    ? [
        {
          message: "Token rotation keeps each new refresh token in memory only; a restart loses it.",
          fix: `Pass rotation.onRefreshToken to store new refresh tokens (and start from the stored one instead of ${SLACK_ENV.refreshToken}).`,
        },
      ]
    : [];
  const writes = {
    allowBroadcastMentions: allowBroadcastMentions === true,
    unfurlLinks: unfurlLinks === true,
    unfurlMedia: unfurlMedia === true,
  };
  return createConnector<SlackClient>({
    id: "slack",
    title: "Slack",
    tools: slackTools,
    buckets: slackBuckets(profile, rateLimits),
    credentials: sources.main,
    client: (credential) => {
      const kind = credential?.attributes?.kind;
      const tokenKind: SlackTokenKind =
        kind === "bot" || kind === "user" ? kind : tokenKindOf(credential?.value ?? "", "bot");
      return {
        apiUrl: baseUrl,
        token: credential?.value,
        // Per credential: core builds a new client (and so a new pool) when the credential changes.
        webClients: new SlackWebClients(baseUrl),
        tokenKind,
        allowlist,
        users,
        channels: channelDirectory,
        writes,
        historyProfile: profile,
        userLookupsPerCall: userLookupsPerCall ?? DEFAULT_USER_LOOKUPS_PER_CALL,
        userTokenSource:
          tokenKind === "bot" && sources.user
            ? {
                get: (signal) => (sources.user as NonNullable<typeof sources.user>).get({ signal }),
                invalidate: (stale) => sources.user?.invalidate(stale),
              }
            : undefined,
        errorOptions,
        now: now ?? Date.now,
        setupProblems,
      };
    },
    // Targets of write tools are `#name` or a channel id; approval policy `when-unlisted` asks for the others.
    // Only names and ids already seen can be matched to their other form here (isListed cannot call Slack).
    isListed: (target) => {
      const channel = isChannelId(target) ? target : target.replace(/^#/, "").toLowerCase();
      if (allowlist.allows(channel)) return true;
      const other = channelDirectory.counterpart(channel);
      return other !== undefined && allowlist.allows(other);
    },
    mapError: createSlackErrorMapper(errorOptions),
    probe: slackProbe,
    options: runtime,
  });
}
