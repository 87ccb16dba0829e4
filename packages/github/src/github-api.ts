import { z } from "zod";

/**
 * Wire schemas for the GitHub REST responses the tools read. Only the fields the tools use are declared, and
 * objects are loose, so GitHub adding fields never breaks a call; a field changing type does, as
 * `invalid_response`, instead of a silently wrong answer.
 */

const timestamp = z.string();
const nullableTimestamp = z.string().nullable().optional();

export const userSchema = z.looseObject({ login: z.string() });
const nullableUser = userSchema.nullable().optional();

/** Labels come as objects; GitHub's description also allows bare strings. */
export const labelSchema = z.union([z.string(), z.looseObject({ name: z.string().nullable().optional() })]);

export const issueSchema = z.looseObject({
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
  pull_request: z.looseObject({ merged_at: z.string().nullable().optional() }).nullable().optional(),
  body: z.string().nullable().optional(),
  /** Only on search results: which repository the hit belongs to. */
  repository_url: z.string().optional(),
});
export type WireIssue = z.infer<typeof issueSchema>;

export const issueListSchema = z.array(issueSchema);

export const commentSchema = z.looseObject({
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

const branchRefSchema = z.looseObject({
  ref: z.string(),
  sha: z.string(),
  label: z.string().optional(),
});

export const pullRequestSchema = z.looseObject({
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

export const pullRequestFileSchema = z.looseObject({
  filename: z.string(),
  status: z.string(),
  additions: z.number().int(),
  deletions: z.number().int(),
  changes: z.number().int().optional(),
  previous_filename: z.string().optional(),
});
export const pullRequestFileListSchema = z.array(pullRequestFileSchema);

export const reviewSchema = z.looseObject({
  id: z.number().int(),
  user: nullableUser,
  state: z.string(),
  submitted_at: z.string().nullable().optional(),
});
export const reviewListSchema = z.array(reviewSchema);

export const combinedStatusSchema = z.looseObject({
  state: z.string(),
  total_count: z.number().int(),
  statuses: z.array(
    z.looseObject({
      context: z.string(),
      state: z.string(),
      description: z.string().nullable().optional(),
    }),
  ),
});

export const checkRunsSchema = z.looseObject({
  total_count: z.number().int(),
  check_runs: z.array(
    z.looseObject({
      name: z.string(),
      status: z.string(),
      conclusion: z.string().nullable().optional(),
    }),
  ),
});

const gitActorSchema = z.looseObject({
  name: z.string().optional(),
  email: z.string().optional(),
  date: z.string().optional(),
});

export const commitSchema = z.looseObject({
  sha: z.string(),
  html_url: z.string(),
  // GitHub documents a commit's author as null, a user, or an empty object `{}` (no GitHub account).
  author: z.looseObject({ login: z.string().optional() }).nullable().optional(),
  commit: z.looseObject({
    message: z.string(),
    author: gitActorSchema.nullable().optional(),
    committer: gitActorSchema.nullable().optional(),
  }),
});
export type WireCommit = z.infer<typeof commitSchema>;
export const commitListSchema = z.array(commitSchema);

export const repositorySchema = z.looseObject({
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
  license: z.looseObject({ spdx_id: z.string().nullable().optional() }).nullable().optional(),
  pushed_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
});
export type WireRepository = z.infer<typeof repositorySchema>;
export const repositoryListSchema = z.array(repositorySchema);
/** GET /installation/repositories wraps the list. */
export const installationRepositoriesSchema = z.looseObject({
  total_count: z.number().int(),
  repositories: z.array(repositorySchema),
});

const contentEntrySchema = z.looseObject({
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

export const searchIssuesSchema = z.looseObject({
  total_count: z.number().int(),
  incomplete_results: z.boolean(),
  items: z.array(issueSchema),
});

export const searchCodeSchema = z.looseObject({
  total_count: z.number().int(),
  incomplete_results: z.boolean(),
  items: z.array(
    z.looseObject({
      name: z.string(),
      path: z.string(),
      sha: z.string(),
      html_url: z.string(),
      repository: z.looseObject({ full_name: z.string() }),
      score: z.number().optional(),
    }),
  ),
});

export const installationTokenSchema = z.looseObject({
  token: z.string().min(1),
  expires_at: z.string(),
});

/** GitHub's error body ("basic-error", plus `errors[]` on 422 "validation-error"). */
export const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  documentation_url: z.string().optional(),
  errors: z
    .array(
      z.union([
        z.string(),
        z.looseObject({
          resource: z.string().optional(),
          field: z.string().optional(),
          code: z.string().optional(),
          message: z.string().optional(),
        }),
      ]),
    )
    .optional(),
});
