import type { Credential, CredentialProvider } from "@switchyard/core";
import { ConnectorError, credentialFromSetting } from "@switchyard/core";
import { SLACK_ENV, type SlackSettings, type SlackTokenKind } from "./slack-settings.js";
import { slackRotatingCredentials } from "./slack-token-rotation.js";

/**
 * The connector's tokens. Core runs every call with one credential (`main`): the bot token when there is one,
 * else the user token. Search needs a user token, so when `main` is a bot token a configured user token is kept
 * as a second source for slack_search_messages.
 */
export interface SlackCredentialSources {
  readonly main: CredentialProvider;
  readonly user: CredentialProvider | undefined;
  /** Whether token rotation keeps its refresh tokens in memory only (no onRefreshToken hook). */
  readonly refreshTokenInMemoryOnly: boolean;
}

/** `xoxp-` (and rotated `xoxe.xoxp-`) tokens act as a user; `xoxb-` as the app's bot. */
export function tokenKindOf(value: string, fallback: SlackTokenKind): SlackTokenKind {
  if (/^(xoxe\.)?xoxp-/.test(value)) return "user";
  if (/^(xoxe\.)?xoxb-/.test(value)) return "bot";
  return fallback;
}

/**
 * Stops waiting for a credential as soon as the caller's signal fires; a refresh in progress goes on for the
 * other callers (its answer carries the only copy of the new refresh token). Works around core: a call whose
 * credential arrives after its signal fired reaches the bulkhead already aborted, and core's Bulkhead.run
 * (raceSignal on an aborted signal) then leaves cockatiel's TaskCancelledError unhandled.
 */
export function abortable(provider: CredentialProvider): CredentialProvider {
  return {
    description: provider.description,
    get: (options) => {
      const pending = provider.get(options);
      const signal = options?.signal;
      if (!signal) return pending;
      // Whoever stops waiting, a late failure of the shared refresh must not go unhandled.
      pending.catch(() => {});
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<Credential>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        pending.then(
          (credential) => {
            signal.removeEventListener("abort", onAbort);
            resolve(credential);
          },
          (error: unknown) => {
            signal.removeEventListener("abort", onAbort);
            reject(error);
          },
        );
      });
    },
    invalidate: (credential) => provider.invalidate(credential),
  };
}

/** Tags every credential a provider hands out with its kind (bot or user), from its prefix when it has one. */
function withKind(provider: CredentialProvider, fallback: SlackTokenKind): CredentialProvider {
  const tag = (credential: Credential): Credential =>
    credential.attributes?.kind === "bot" || credential.attributes?.kind === "user"
      ? credential
      : {
          ...credential,
          attributes: { ...credential.attributes, kind: tokenKindOf(credential.value, fallback) },
        };
  return {
    description: provider.description,
    get: async (options) => tag(await provider.get(options)),
    invalidate: (credential) => provider.invalidate(credential),
  };
}

function staticToken(value: string, kind: SlackTokenKind): CredentialProvider {
  const variable = kind === "bot" ? SLACK_ENV.botToken : SLACK_ENV.userToken;
  const setting = kind === "bot" ? "botToken" : "userToken";
  return withKind(
    credentialFromSetting(value, {
      description: `the ${variable} environment variable (or the "${setting}" setting)`,
    }),
    kind,
  );
}

/**
 * Picks the credential sources: an explicit provider, then token rotation, then the static tokens. With none
 * configured the provider still exists and fails at call time, so a connector without credentials can be built
 * and can list its tools.
 */
export function slackCredentials(settings: SlackSettings, apiUrl: string): SlackCredentialSources {
  const sources = pickCredentials(settings, apiUrl);
  return {
    ...sources,
    main: abortable(sources.main),
    user: sources.user ? abortable(sources.user) : undefined,
  };
}

function pickCredentials(settings: SlackSettings, apiUrl: string): SlackCredentialSources {
  const botToken = settings.botToken?.trim() || undefined;
  const userToken = settings.userToken?.trim() || undefined;
  const user = userToken ? staticToken(userToken, "user") : undefined;
  if (settings.credentials) {
    return { main: withKind(settings.credentials, "bot"), user, refreshTokenInMemoryOnly: false };
  }
  if (settings.rotation) {
    const tokenKind = settings.rotation.tokenKind ?? (userToken && !botToken ? "user" : "bot");
    const rotating = slackRotatingCredentials({
      ...settings.rotation,
      tokenKind,
      apiUrl,
      now: settings.now,
      warn: settings.warn,
    });
    const refreshTokenInMemoryOnly = settings.rotation.onRefreshToken === undefined;
    if (tokenKind === "bot") return { main: rotating, user, refreshTokenInMemoryOnly };
    // A rotating user token: the bot token (if any) stays the main credential, search uses the rotating one.
    return botToken
      ? { main: staticToken(botToken, "bot"), user: rotating, refreshTokenInMemoryOnly }
      : { main: rotating, user: undefined, refreshTokenInMemoryOnly };
  }
  if (botToken) return { main: staticToken(botToken, "bot"), user, refreshTokenInMemoryOnly: false };
  if (userToken)
    return { main: staticToken(userToken, "user"), user: undefined, refreshTokenInMemoryOnly: false };
  return { main: missingSlackCredentials(), user: undefined, refreshTokenInMemoryOnly: false };
}

/** Fails every `get` with `credentials_missing`, naming every way to authenticate. */
export function missingSlackCredentials(): CredentialProvider {
  const variables = [
    SLACK_ENV.botToken,
    SLACK_ENV.userToken,
    SLACK_ENV.refreshToken,
    SLACK_ENV.clientId,
    SLACK_ENV.clientSecret,
  ];
  return {
    description: `${SLACK_ENV.botToken} or ${SLACK_ENV.userToken}, or ${SLACK_ENV.refreshToken} + ${SLACK_ENV.clientId} + ${SLACK_ENV.clientSecret}`,
    get: async () => {
      throw new ConnectorError({
        code: "credentials_missing",
        message: `No Slack credential configured: set ${SLACK_ENV.botToken} (the "botToken" setting) or ${SLACK_ENV.userToken} ("userToken"), or token rotation with ${SLACK_ENV.refreshToken}, ${SLACK_ENV.clientId} and ${SLACK_ENV.clientSecret} ("rotation").`,
        hint: `Ask the operator to set ${SLACK_ENV.botToken} or ${SLACK_ENV.userToken}; calling again will not help.`,
        details: { variables },
      });
    },
    invalidate: () => {},
  };
}
