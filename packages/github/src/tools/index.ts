import type { AnyToolDefinition } from "@switchyard/core";
import { githubAddComment } from "./github-add-comment.js";
import { githubCreateIssue } from "./github-create-issue.js";
import { githubCreatePullRequest } from "./github-create-pull-request.js";
import { githubGetFileContents } from "./github-get-file-contents.js";
import { githubGetIssue } from "./github-get-issue.js";
import { githubGetPullRequest } from "./github-get-pull-request.js";
import { githubGetRepository } from "./github-get-repository.js";
import { githubListCommits } from "./github-list-commits.js";
import { githubListIssues } from "./github-list-issues.js";
import { githubListPullRequests } from "./github-list-pull-requests.js";
import { githubListRepositories } from "./github-list-repositories.js";
import { githubSearchCode } from "./github-search-code.js";
import { githubSearchIssues } from "./github-search-issues.js";
import { githubUpdateIssue } from "./github-update-issue.js";

export {
  githubAddComment,
  githubCreateIssue,
  githubCreatePullRequest,
  githubGetFileContents,
  githubGetIssue,
  githubGetPullRequest,
  githubGetRepository,
  githubListCommits,
  githubListIssues,
  githubListPullRequests,
  githubListRepositories,
  githubSearchCode,
  githubSearchIssues,
  githubUpdateIssue,
};

/** Every GitHub tool; core enables the write tools only when writes are allowed. */
export const githubTools: readonly AnyToolDefinition[] = [
  githubSearchIssues,
  githubListIssues,
  githubGetIssue,
  githubListPullRequests,
  githubGetPullRequest,
  githubListCommits,
  githubGetFileContents,
  githubSearchCode,
  githubGetRepository,
  githubListRepositories,
  githubCreateIssue,
  githubUpdateIssue,
  githubAddComment,
  githubCreatePullRequest,
];
