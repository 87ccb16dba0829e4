import type { CredentialProvider } from "@switchyard/core";
import { ConnectorError, credentialFromSetting } from "@switchyard/core";
import { jiraOAuthCredentials } from "./jira-oauth.js";
import { JIRA_ENV, type JiraSettings } from "./jira-settings.js";

export interface JiraCredentialsInput {
  readonly settings: JiraSettings;
  /** Normalised site URL, when configured. */
  readonly siteUrl: string | undefined;
  readonly gatewayUrl: string;
  readonly tokenUrl: string;
  readonly cloudId: string | undefined;
}

/**
 * Picks the credential source: an explicit provider, then OAuth 2.0 (3LO), then an API token with Basic auth.
 * With none configured the provider still exists and fails at call time, so a connector without credentials
 * can be built and can list its tools.
 */
export function jiraCredentials(input: JiraCredentialsInput): CredentialProvider {
  const { settings } = input;
  if (settings.credentials) return settings.credentials;
  if (settings.oauth) {
    return jiraOAuthCredentials({
      ...settings.oauth,
      tokenUrl: input.tokenUrl,
      gatewayUrl: input.gatewayUrl,
      siteUrl: input.siteUrl,
      cloudId: input.cloudId,
      now: settings.now,
    });
  }
  const apiToken = settings.apiToken?.trim();
  if (apiToken) return basicCredentials(apiToken, settings.email?.trim(), input);
  return missingJiraCredentials();
}

/**
 * An API token for Basic auth. The value may be a secret-store reference (`aws-sm://...`), resolved by the
 * registered store. The credential carries the email, which the client needs to build the header.
 */
function basicCredentials(
  apiToken: string,
  email: string | undefined,
  input: JiraCredentialsInput,
): CredentialProvider {
  const description = `the ${JIRA_ENV.apiToken} environment variable (or the "apiToken" setting)`;
  const missing = [
    email ? undefined : JIRA_ENV.email,
    input.siteUrl || input.cloudId ? undefined : JIRA_ENV.baseUrl,
  ].filter((name): name is NonNullable<typeof name> => name !== undefined);
  if (missing.length > 0) {
    return failing(
      description,
      `A Jira API token is set, but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not: Basic auth needs the account email and the site URL.`,
      missing,
    );
  }
  const token = credentialFromSetting(apiToken, { description });
  return {
    description,
    async get(options) {
      const credential = await token.get(options);
      return {
        ...credential,
        attributes: { ...credential.attributes, kind: "basic", email: email as string },
      };
    },
    invalidate: (credential) => token.invalidate(credential),
  };
}

/** Fails every `get` with `credentials_missing`, naming both ways to authenticate. */
export function missingJiraCredentials(): CredentialProvider {
  return failing(
    `${JIRA_ENV.baseUrl} + ${JIRA_ENV.email} + ${JIRA_ENV.apiToken}, or ${JIRA_ENV.oauthClientId} + ${JIRA_ENV.oauthClientSecret} + ${JIRA_ENV.oauthRefreshToken}`,
    `No Jira credential configured: set ${JIRA_ENV.baseUrl}, ${JIRA_ENV.email} and ${JIRA_ENV.apiToken} (API token), or ${JIRA_ENV.oauthClientId}, ${JIRA_ENV.oauthClientSecret} and ${JIRA_ENV.oauthRefreshToken} (OAuth 2.0).`,
    [
      JIRA_ENV.baseUrl,
      JIRA_ENV.email,
      JIRA_ENV.apiToken,
      JIRA_ENV.oauthClientId,
      JIRA_ENV.oauthClientSecret,
      JIRA_ENV.oauthRefreshToken,
    ],
  );
}

function failing(description: string, message: string, variables: readonly string[]): CredentialProvider {
  return {
    description,
    get: async () => {
      throw new ConnectorError({
        code: "credentials_missing",
        message,
        hint: `Ask the operator to set ${variables.join(", ")}; calling again will not help.`,
        details: { variables },
      });
    },
    invalidate: () => {},
  };
}
