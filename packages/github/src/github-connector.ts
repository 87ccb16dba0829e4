import type { ConnectorInstance } from "@switchyard/core";
import { createConnector } from "@switchyard/core";
import { createGithubAllowlist } from "./github-allowlist.js";
import { githubCredentials } from "./github-auth.js";
import { createGithubClient, type GithubClient } from "./github-client.js";
import { createGithubErrorMapper } from "./github-error.js";
import { githubProbe } from "./github-probe.js";
import { GITHUB_BUCKETS } from "./github-rate-limits.js";
import { DEFAULT_API_VERSION, type GithubSettings, normalizeApiUrl } from "./github-settings.js";
import { githubTools } from "./tools/index.js";

/**
 * Builds the GitHub connector. Construction never talks to GitHub and never needs a credential: a missing one
 * fails the first call with `credentials_missing`, so tools can be listed on a machine without secrets.
 * Malformed settings (an unreadable API URL, a bad allowlist entry) throw here, at startup.
 */
export function createGithubConnector(settings: GithubSettings = {}): ConnectorInstance {
  const {
    token: _token,
    app: _app,
    credentials: _credentials,
    apiUrl,
    repositories,
    apiVersion,
    secondaryRateLimitWaitMs,
    ...runtime
  } = settings;
  const baseUrl = normalizeApiUrl(apiUrl);
  const allowlist = createGithubAllowlist(repositories);
  const credentials = githubCredentials(settings, baseUrl);
  return createConnector<GithubClient>({
    id: "github",
    title: "GitHub",
    tools: githubTools,
    buckets: GITHUB_BUCKETS,
    credentials,
    client: (credential) =>
      createGithubClient({ credential, baseUrl, allowlist, apiVersion: apiVersion ?? DEFAULT_API_VERSION }),
    // Targets of write tools are "owner/repo"; approval policy `when-unlisted` asks for the others.
    isListed: (target) => {
      const [owner = "", repo = ""] = target.split("/");
      return allowlist.allowsRepo(owner, repo);
    },
    mapError: createGithubErrorMapper({
      secondaryRateLimitWaitMs,
      ...(runtime.now ? { now: runtime.now } : {}),
    }),
    probe: githubProbe,
    options: runtime,
  });
}
