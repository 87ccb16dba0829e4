import type { AnyToolDefinition } from "@switchyard/core";
import { jiraAddComment } from "./jira-add-comment.js";
import { jiraAssignIssue } from "./jira-assign-issue.js";
import { jiraCreateIssue } from "./jira-create-issue.js";
import { jiraGetIssue } from "./jira-get-issue.js";
import { jiraGetProject } from "./jira-get-project.js";
import { jiraListProjects } from "./jira-list-projects.js";
import { jiraSearchIssues } from "./jira-search-issues.js";
import { jiraTransitionIssue } from "./jira-transition-issue.js";
import { jiraUpdateIssue } from "./jira-update-issue.js";

export {
  jiraAddComment,
  jiraAssignIssue,
  jiraCreateIssue,
  jiraGetIssue,
  jiraGetProject,
  jiraListProjects,
  jiraSearchIssues,
  jiraTransitionIssue,
  jiraUpdateIssue,
};

/** Every Jira tool; core enables the write tools only when writes are allowed. */
export const jiraTools: readonly AnyToolDefinition[] = [
  jiraSearchIssues,
  jiraGetIssue,
  jiraListProjects,
  jiraGetProject,
  jiraCreateIssue,
  jiraUpdateIssue,
  jiraTransitionIssue,
  jiraAddComment,
  jiraAssignIssue,
];
