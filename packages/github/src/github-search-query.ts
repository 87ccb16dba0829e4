import { ConnectorError } from "@switchyard/core";
import { z } from "zod";
import type { GithubAllowlist } from "./github-allowlist.js";
import { GITHUB_ENV } from "./github-settings.js";

/** GitHub search returns at most this many results per query, whatever the page. */
export const SEARCH_RESULT_CEILING = 1000;

/**
 * Qualifiers that choose which repositories a search reads. Matched after any non-word character, not just
 * whitespace, so `+repo:` or `"repo:` cannot slip past; an odd false positive only costs a refusal.
 */
const SCOPE_QUALIFIER = /(?<![A-Za-z0-9_])(-?)(repo|org|user|owner)\s*:\s*(?:"([^"]*)"|([^\s"()]+))/gi;
/** Boolean operators and grouping could OR a query around the appended scope. */
const BOOLEAN_SYNTAX = /(?<![A-Za-z0-9_])(?:OR|AND|NOT)(?![A-Za-z0-9_])|[()]/;

/**
 * Confines a search to the repository allowlist. Scope qualifiers in the query must each be inside the
 * allowlist; a query with none gets one `repo:`/`user:` qualifier per allowlist entry appended (GitHub ORs
 * qualifiers of this kind). Returns the query unchanged when there is no allowlist.
 */
export function scopeSearchQuery(query: string, allowlist: GithubAllowlist): string {
  const trimmed = query.trim();
  if (!allowlist.restricts) return trimmed;
  if (allowlist.unscopable.length > 0) {
    throw new ConnectorError({
      code: "permission_denied",
      message: `Search is unavailable: the ${GITHUB_ENV.repositories} entries ${allowlist.unscopable.join(", ")} have a wildcard owner, which no search qualifier can express.`,
      hint: "Use the list and get tools on allowlisted repositories instead; do not retry the search.",
      notApplied: true,
    });
  }
  if (BOOLEAN_SYNTAX.test(trimmed)) {
    throw new ConnectorError({
      code: "invalid_input",
      message:
        "Boolean operators (OR, AND, NOT) and parentheses are not accepted here, because this connector confines searches to its repository allowlist.",
      hint: "Run one search per alternative, or use -qualifier:value to exclude.",
      details: { field: "query" },
      notApplied: true,
    });
  }
  let scoped = false;
  for (const match of trimmed.matchAll(SCOPE_QUALIFIER)) {
    const negated = match[1] === "-";
    const kind = (match[2] ?? "").toLowerCase();
    const value = (match[3] ?? match[4] ?? "").trim();
    // An exclusion only narrows the search, wherever it points.
    if (negated) continue;
    const allowed =
      kind === "repo"
        ? isRepoAllowed(value, allowlist)
        : /^[A-Za-z0-9-]+$/.test(value) && allowlist.allowsWholeOwner(value);
    if (!allowed) {
      throw new ConnectorError({
        code: "permission_denied",
        message: `The search qualifier ${kind}:${value} reaches outside this connector's ${GITHUB_ENV.repositories} (${allowlist.patterns.join(", ")}).`,
        hint: `Search only within: ${allowlist.patterns.join(", ")}. Drop the qualifier to search all of them.`,
        notApplied: true,
      });
    }
    scoped = true;
  }
  if (scoped) return trimmed;
  const scope = allowlist.searchScope() ?? [];
  return `${trimmed} ${scope.join(" ")}`.trim();
}

function isRepoAllowed(value: string, allowlist: GithubAllowlist): boolean {
  const [owner, repo, extra] = value.split("/");
  return Boolean(owner && repo && extra === undefined && allowlist.allowsRepo(owner, repo));
}

/** False when a next-page URL starts past result 1,000, where GitHub refuses to answer (HTTP 422). */
export function withinSearchCeiling(url: string): boolean {
  const parsed = new URL(url);
  const page = Number(parsed.searchParams.get("page") ?? "1");
  const perPage = Number(parsed.searchParams.get("per_page") ?? "30");
  if (!Number.isFinite(page) || !Number.isFinite(perPage)) return true;
  return (page - 1) * perPage < SEARCH_RESULT_CEILING;
}

export const SEARCH_CEILING_NOTE =
  "GitHub returns at most 1,000 results per search; narrow the query (for example created:2024-01-01..2024-06-30) to reach the rest.";

/** GitHub refuses (422) more than 256 characters of search text; qualifiers such as `repo:` do not count. */
export const MAX_SEARCH_TEXT = 256;

function searchText(query: string): string {
  return query
    .split(/\s+/)
    .filter((term) => term !== "" && !/^-?[a-z_]+:/i.test(term))
    .join(" ");
}

/** The query argument of both search tools. */
export const searchQuery = z
  .string()
  .min(1)
  .max(1024)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters have no place in a query.
  .regex(/^[^\u0000-\u001f\u007f]*$/, "control characters are not allowed")
  .refine((query) => searchText(query).length <= MAX_SEARCH_TEXT, {
    message: `GitHub allows at most ${MAX_SEARCH_TEXT} characters of search text (qualifiers like repo: not counted)`,
  });

/** Output fields both search tools add to the list. */
export const searchOutputExtra = {
  totalCount: z.number().int().describe("Matches GitHub reports for the whole query."),
  incompleteResults: z.boolean().describe("GitHub timed out; results may be missing."),
  ceilingReached: z.boolean().describe("True when paging stopped at GitHub's 1,000-result search limit."),
  note: z.string().optional(),
};
