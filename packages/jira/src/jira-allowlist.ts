import type { Allowlist } from "@switchyard/core";
import { createAllowlist } from "@switchyard/core";
import { JIRA_ENV } from "./jira-settings.js";

/**
 * The project allowlist (`JIRA_PROJECTS=OPS,WEB`). Tools that name an issue or project check it before any
 * request; the search tool confines the caller's JQL to it (`project in (...) AND (<jql>)`). Entries are plain
 * project keys: a glob could not be written as a JQL clause.
 */
export interface JiraProjectAllowlist {
  readonly restricts: boolean;
  /** The allowed project keys, upper case; empty when every project is allowed. */
  readonly projects: readonly string[];
  allows(projectKey: string): boolean;
  /**
   * Throws permission_denied, before any request, when the project is not allowlisted, unless an approval
   * cleared it for this call (`approved`: the call's `ctx.approvedTargets`).
   */
  assertProject(projectKey: string, approved?: readonly string[]): void;
}

const PROJECT_KEY = /^[A-Z][A-Z0-9_]+$/;

export function createJiraAllowlist(entries: readonly string[] | undefined): JiraProjectAllowlist {
  const projects = [
    ...new Set(
      (entries ?? []).map((entry) => entry.trim().toUpperCase()).filter((entry) => entry.length > 0),
    ),
  ];
  for (const project of projects) {
    if (!PROJECT_KEY.test(project)) {
      throw new TypeError(
        `${JIRA_ENV.projects} entry "${project}" is not a Jira project key (a letter, then letters, digits or _; no globs).`,
      );
    }
  }
  const allowlist: Allowlist = createAllowlist(projects, JIRA_ENV.projects);
  return {
    restricts: allowlist.restricts,
    projects,
    allows: (projectKey) => allowlist.allows(projectKey),
    assertProject(projectKey, approved = []) {
      if (approved.some((entry) => entry.toUpperCase() === projectKey.toUpperCase())) return;
      allowlist.assert(projectKey, "Project");
    },
  };
}

/** `ABC-123` -> `ABC`. Keys are validated before this is called. */
export function projectOfIssueKey(issueKey: string): string {
  return issueKey.slice(0, issueKey.lastIndexOf("-"));
}
