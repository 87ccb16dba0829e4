import type { CredentialProvider } from "@switchyard/core";
import { ConnectorError, credentialFromSetting } from "@switchyard/core";
import { githubAppCredentials } from "./github-app-auth.js";
import { GITHUB_ENV, type GithubSettings } from "./github-settings.js";

/**
 * Picks the credential source: an explicit provider, then a GitHub App installation, then a personal access
 * token. With none configured the provider still exists and fails at call time, so a connector without
 * credentials can be built and can list its tools.
 */
export function githubCredentials(settings: GithubSettings, baseUrl: string): CredentialProvider {
  if (settings.credentials) return settings.credentials;
  if (settings.app) {
    return githubAppCredentials({ ...settings.app, baseUrl, ...(settings.now ? { now: settings.now } : {}) });
  }
  if (settings.token?.trim()) {
    // The token may be a secret-store reference (aws-sm://prod/github#token), resolved by the registered store.
    return credentialFromSetting(settings.token.trim(), {
      description: `the "token" setting (${GITHUB_ENV.token})`,
    });
  }
  return missingGithubCredentials();
}

/** Fails every `get` with `credentials_missing`, naming both ways to authenticate. */
export function missingGithubCredentials(): CredentialProvider {
  return {
    description: `${GITHUB_ENV.token}, or ${GITHUB_ENV.appId} + ${GITHUB_ENV.appPrivateKey} + ${GITHUB_ENV.appInstallationId}`,
    get: async () => {
      throw new ConnectorError({
        code: "credentials_missing",
        message: `No GitHub credential configured: set ${GITHUB_ENV.token} (the "token" setting), or a GitHub App with ${GITHUB_ENV.appId}, ${GITHUB_ENV.appPrivateKey} and ${GITHUB_ENV.appInstallationId} (the "app" setting).`,
        hint: `Ask the operator to set ${GITHUB_ENV.token} or the GitHub App variables; calling again will not help.`,
        details: {
          variables: [
            GITHUB_ENV.token,
            GITHUB_ENV.appId,
            GITHUB_ENV.appPrivateKey,
            GITHUB_ENV.appInstallationId,
          ],
        },
      });
    },
    invalidate: () => {},
  };
}
