import type { ConnectorProbe, DiagnosisProblem, ProbeResult } from "@switchyard/core";
import { userSchema } from "./github-api.js";
import type { GithubClient } from "./github-client.js";

type Headers = Record<string, string | number | undefined>;

const numberHeader = (headers: Headers, name: string) => {
  const value = headers[name];
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
};

/**
 * One cheap call for `switchyard doctor`: GET /user for tokens that act as a user (it also reveals a classic
 * PAT's scopes), GET /rate_limit for App installations, which have no user. Both report the core budget.
 */
export const githubProbe: ConnectorProbe<GithubClient> = async ({ client, credential, signal }) => {
  const problems: DiagnosisProblem[] = [];
  if (client.isInstallation) {
    const response = await client.octokit.request("GET /rate_limit", { request: { signal } });
    return {
      identity: `GitHub App installation ${credential?.attributes?.installationId ?? "(unknown)"}`,
      rateLimit: budgetFrom(response.headers),
      problems,
    };
  }
  const response = await client.octokit.request("GET /user", { request: { signal } });
  const user = userSchema.safeParse(response.data);
  const scopesHeader = response.headers["x-oauth-scopes"];
  // Only classic PATs and OAuth tokens send x-oauth-scopes; fine-grained tokens have per-repository permissions.
  const scopes =
    scopesHeader === undefined
      ? undefined
      : String(scopesHeader)
          .split(",")
          .map((scope) => scope.trim())
          .filter((scope) => scope.length > 0);
  if (scopes && !scopes.includes("repo") && !scopes.includes("public_repo")) {
    problems.push({
      message: "The token has neither the repo nor the public_repo scope.",
      fix: "Create a token with the repo scope (private repositories) or public_repo (public only).",
    });
  }
  const result: ProbeResult = {
    identity: user.success ? user.data.login : "an unknown GitHub user",
    ...(scopes ? { scopes } : {}),
    rateLimit: budgetFrom(response.headers),
    problems,
  };
  return result;
};

function budgetFrom(headers: Headers): NonNullable<ProbeResult["rateLimit"]> {
  const limit = numberHeader(headers, "x-ratelimit-limit");
  const remaining = numberHeader(headers, "x-ratelimit-remaining");
  const reset = numberHeader(headers, "x-ratelimit-reset");
  // The probe result type has no room for explicit undefined: leave unknown fields out.
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === undefined ? {} : { resetAt: reset * 1000 }),
  };
}
