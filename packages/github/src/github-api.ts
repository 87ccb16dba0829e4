import { z } from "zod";

/**
 * Wire schemas for the GitHub REST responses the tools read. Only the fields the tools use are declared, and
 * undeclared fields are dropped, never refused, so GitHub adding fields never breaks a call; a field changing
 * type does, as `invalid_response`, instead of a silently wrong answer.
 *
 * Objects strip rather than pass through (`z.object`, not `z.looseObject`): nothing reads an undeclared
 * field, and an issue carries about 30 (URLs, reactions, ...) that zod would otherwise copy one by one through
 * the catch-all (0.17 to 0.23 ms against 0.02 to 0.05 ms for a page of 30 issues).
 */

const timestamp = z.string();
const nullableTimestamp = z.string().nullable().optional();

export const userSchema = z.object({ login: z.string() });
const nullableUser = userSchema.nullable().optional();

/** Labels come as objects; GitHub's description also allows bare strings. */
export const labelSchema = z.union([z.string(), z.object({ name: z.string().nullable().optional() })]);

export const issueSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  state: z.string(),
  state_reason: z.string().nullable().optional(),
  user: nullableUser,
  labels: z.array(labelSchema).optional().default([]),
  assignees: z.array(userSchema).nullable().optional(),
  comments: z.number().int().optional().default(0),
  created_at: timestamp,
  updated_at: timestamp,
  closed_at: nullableTimestamp,
  html_url: z.string(),
  /** Present (an object of URLs) when the "issue" is really a pull request. */
  pull_request: z.object({ merged_at: z.string().nullable().optional() }).nullable().optional(),
  body: z.string().nullable().optional(),
  /** Only on search results: which repository the hit belongs to. */
  repository_url: z.string().optional(),
});
export type WireIssue = z.infer<typeof issueSchema>;

export const issueListSchema = z.array(issueSchema);

export const commentSchema = z.object({
  id: z.number().int(),
  user: nullableUser,
  body: z.string().nullable().optional(),
  created_at: timestamp,
  updated_at: timestamp,
  html_url: z.string(),
  author_association: z.string().optional(),
});
export type WireComment = z.infer<typeof commentSchema>;
export const commentListSchema = z.array(commentSchema);

const branchRefSchema = z.object({
  ref: z.string(),
  sha: z.string(),
  label: z.string().optional(),
});

export const pullRequestSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  state: z.string(),
  draft: z.boolean().optional(),
  user: nullableUser,
  labels: z.array(labelSchema).optional().default([]),
  assignees: z.array(userSchema).nullable().optional(),
  requested_reviewers: z.array(userSchema).nullable().optional(),
  head: branchRefSchema,
  base: branchRefSchema,
  created_at: timestamp,
  updated_at: timestamp,
  closed_at: nullableTimestamp,
  merged_at: nullableTimestamp,
  html_url: z.string(),
  body: z.string().nullable().optional(),
  /** The fields below come only from the single-PR endpoint. */
  merged: z.boolean().optional(),
  mergeable: z.boolean().nullable().optional(),
  mergeable_state: z.string().optional(),
  comments: z.number().int().optional(),
  review_comments: z.number().int().optional(),
  commits: z.number().int().optional(),
  additions: z.number().int().optional(),
  deletions: z.number().int().optional(),
  changed_files: z.number().int().optional(),
});
export type WirePullRequest = z.infer<typeof pullRequestSchema>;
export const pullRequestListSchema = z.array(pullRequestSchema);

export const pullRequestFileSchema = z.object({
  filename: z.string(),
  status: z.string(),
  additions: z.number().int(),
  deletions: z.number().int(),
  changes: z.number().int().optional(),
  previous_filename: z.string().optional(),
});
export const pullRequestFileListSchema = z.array(pullRequestFileSchema);

export const reviewSchema = z.object({
  id: z.number().int(),
  user: nullableUser,
  state: z.string(),
  submitted_at: z.string().nullable().optional(),
});
export const reviewListSchema = z.array(reviewSchema);

export const combinedStatusSchema = z.object({
  state: z.string(),
  total_count: z.number().int(),
  statuses: z.array(
    z.object({
      context: z.string(),
      state: z.string(),
      description: z.string().nullable().optional(),
    }),
  ),
});

export const checkRunsSchema = z.object({
  total_count: z.number().int(),
  check_runs: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      conclusion: z.string().nullable().optional(),
    }),
  ),
});

const gitActorSchema = z.object({
  name: z.string().optional(),
  email: z.string().optional(),
  date: z.string().optional(),
});

export const commitSchema = z.object({
  sha: z.string(),
  html_url: z.string(),
  // GitHub documents a commit's author as null, a user, or an empty object `{}` (no GitHub account).
  author: z.object({ login: z.string().optional() }).nullable().optional(),
  commit: z.object({
    message: z.string(),
    author: gitActorSchema.nullable().optional(),
    committer: gitActorSchema.nullable().optional(),
  }),
});
export type WireCommit = z.infer<typeof commitSchema>;
export const commitListSchema = z.array(commitSchema);

export const repositorySchema = z.object({
  name: z.string(),
  full_name: z.string(),
  owner: userSchema,
  private: z.boolean(),
  description: z.string().nullable().optional(),
  default_branch: z.string().optional(),
  html_url: z.string(),
  fork: z.boolean().optional(),
  archived: z.boolean().optional(),
  visibility: z.string().optional(),
  language: z.string().nullable().optional(),
  topics: z.array(z.string()).optional(),
  stargazers_count: z.number().int().optional(),
  forks_count: z.number().int().optional(),
  open_issues_count: z.number().int().optional(),
  has_issues: z.boolean().optional(),
  license: z.object({ spdx_id: z.string().nullable().optional() }).nullable().optional(),
  pushed_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
});
export type WireRepository = z.infer<typeof repositorySchema>;
export const repositoryListSchema = z.array(repositorySchema);
/** GET /installation/repositories wraps the list. */
export const installationRepositoriesSchema = z.object({
  total_count: z.number().int(),
  repositories: z.array(repositorySchema),
});

const contentEntrySchema = z.object({
  type: z.string(),
  name: z.string(),
  path: z.string(),
  sha: z.string(),
  size: z.number().int(),
  html_url: z.string().nullable().optional(),
});
export type WireContentEntry = z.infer<typeof contentEntrySchema>;

export const contentFileSchema = contentEntrySchema.extend({
  /** `base64`, or `none` for files over 1 MB (their content is not returned). */
  encoding: z.string().optional(),
  content: z.string().optional(),
  target: z.string().optional(),
  submodule_git_url: z.string().optional(),
});
export type WireContentFile = z.infer<typeof contentFileSchema>;

/** A file (or symlink, submodule) is an object; a directory is an array of entries. */
export const contentSchema = z.union([z.array(contentEntrySchema), contentFileSchema]);

export const searchIssuesSchema = z.object({
  total_count: z.number().int(),
  incomplete_results: z.boolean(),
  items: z.array(issueSchema),
});

export const searchCodeSchema = z.object({
  total_count: z.number().int(),
  incomplete_results: z.boolean(),
  items: z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      sha: z.string(),
      html_url: z.string(),
      repository: z.object({ full_name: z.string() }),
      score: z.number().optional(),
    }),
  ),
});

export const installationTokenSchema = z.object({
  token: z.string().min(1),
  expires_at: z.string(),
});

/** GitHub's error body ("basic-error", plus `errors[]` on 422 "validation-error"). */
export const errorBodySchema = z.object({
  message: z.string().optional(),
  documentation_url: z.string().optional(),
  errors: z
    .array(
      z.union([
        z.string(),
        z.object({
          resource: z.string().optional(),
          field: z.string().optional(),
          code: z.string().optional(),
          message: z.string().optional(),
        }),
      ]),
    )
    .optional(),
});
