import type { Allowlist } from "@switchyard/core";
import { ConnectorError, createAllowlist } from "@switchyard/core";
import { GITHUB_ENV } from "./github-settings.js";

/**
 * The repository allowlist (`owner/*`, `owner/repo`, also globs such as `owner/api-*`). Tools check it before
 * any request; search tools also turn it into `repo:`/`user:` qualifiers, because a search is the one way to
 * read repositories that are not named in the arguments.
 */
export interface GithubAllowlist {
  readonly restricts: boolean;
  readonly patterns: readonly string[];
  allowsRepo(owner: string, repo: string): boolean;
  /**
   * Throws permission_denied, before any request, when the repository is not allowlisted, unless an approval
   * cleared it for this call (`approved`: the call's `ctx.approvedTargets`).
   */
  assertRepo(owner: string, repo: string, approved?: readonly string[]): void;
  /** True when at least one pattern can match a repository of this owner. */
  allowsOwner(owner: string): boolean;
  /** True when every repository of the owner is allowed (`owner/*`). */
  allowsWholeOwner(owner: string): boolean;
  assertOwner(owner: string): void;
  /** Search qualifiers that confine a search to the allowlist, or undefined when unrestricted. */
  searchScope(): readonly string[] | undefined;
  /** Patterns no search qualifier can express (a glob in the owner); searches are refused with those. */
  readonly unscopable: readonly string[];
}

const OWNER_GLOB = /^[A-Za-z0-9*-]+$/;
const REPO_GLOB = /^[A-Za-z0-9._*-]+$/;

export function createGithubAllowlist(patterns: readonly string[] | undefined): GithubAllowlist {
  const cleaned = (patterns ?? []).map((pattern) => pattern.trim()).filter((pattern) => pattern.length > 0);
  for (const pattern of cleaned) {
    const [owner, repo, extra] = pattern.split("/");
    if (!owner || !repo || extra !== undefined || !OWNER_GLOB.test(owner) || !REPO_GLOB.test(repo)) {
      throw new TypeError(
        `${GITHUB_ENV.repositories} entry "${pattern}" is not "owner/repo" or "owner/*" (globs with * are allowed).`,
      );
    }
  }
  const repos: Allowlist = createAllowlist(cleaned, GITHUB_ENV.repositories);
  const owners: Allowlist = createAllowlist(
    cleaned.map((pattern) => pattern.split("/")[0] ?? pattern),
    GITHUB_ENV.repositories,
  );
  const wholeOwners: Allowlist = createAllowlist(
    cleaned.filter((pattern) => pattern.endsWith("/*")).map((pattern) => pattern.slice(0, -2)),
    GITHUB_ENV.repositories,
  );
  const unscopable = cleaned.filter((pattern) => pattern.split("/")[0]?.includes("*"));

  return {
    restricts: repos.restricts,
    patterns: cleaned,
    allowsRepo: (owner, repo) => repos.allows(`${owner}/${repo}`),
    assertRepo(owner, repo, approved = []) {
      const target = `${owner}/${repo}`;
      if (approved.some((entry) => entry.toLowerCase() === target.toLowerCase())) return;
      repos.assert(target, "Repository");
    },
    allowsOwner: (owner) => owners.allows(owner),
    // With no allowlist everything is allowed; an allowlist without `owner/*` entries allows no whole owner.
    allowsWholeOwner: (owner) => !repos.restricts || (wholeOwners.restricts && wholeOwners.allows(owner)),
    assertOwner(owner) {
      if (owners.allows(owner)) return;
      throw new ConnectorError({
        code: "permission_denied",
        message: `Owner "${owner}" has no repositories in this connector's ${GITHUB_ENV.repositories} (${cleaned.join(", ")}).`,
        hint: `Only these are reachable: ${cleaned.join(", ")}. Do not retry with the same owner.`,
        notApplied: true,
      });
    },
    searchScope() {
      if (!repos.restricts) return undefined;
      const qualifiers = new Set<string>();
      for (const pattern of cleaned) {
        const [owner = "", repo = ""] = pattern.split("/");
        if (owner.includes("*")) continue;
        // `user:` matches repositories owned by a user or an organisation; a repo glob (api-*) is widened to
        // its owner here and narrowed again by filtering the results.
        qualifiers.add(repo.includes("*") ? `user:${owner}` : `repo:${owner}/${repo}`);
      }
      return [...qualifiers];
    },
    unscopable,
  };
}
