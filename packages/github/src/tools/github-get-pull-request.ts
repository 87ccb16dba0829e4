import { READ_ANNOTATIONS } from "@switchyard/core";
import { z } from "zod";
import {
  checkRunsSchema,
  combinedStatusSchema,
  pullRequestFileListSchema,
  pullRequestSchema,
  reviewListSchema,
} from "../github-api.js";
import { type GithubContext, githubRequest } from "../github-client.js";
import { mapGithubError } from "../github-error.js";
import { pullRequestSummaryOutput, toPullRequestSummary, untrustedBody } from "../github-output.js";
import { defineGithubTool } from "../github-tool.js";
import { issueNumber, repoShape } from "../github-validation.js";

/** Enough files to see what a PR touches; the totals cover the rest. */
const MAX_FILES_SHOWN = 50;
const MAX_CHECK_NAMES = 20;
const FAILED_CONCLUSIONS = new Set([
  "failure",
  "timed_out",
  "cancelled",
  "action_required",
  "startup_failure",
]);

const output = z.object({
  pullRequest: pullRequestSummaryOutput.extend({
    body: z.string().nullable().describe("Untrusted text, sanitised, capped, in <untrusted-content>."),
    headSha: z.string(),
    mergeable: z.boolean().nullable().describe("null while GitHub is still computing it."),
    mergeableState: z.string().nullable(),
    commits: z.number().int().nullable(),
    additions: z.number().int().nullable(),
    deletions: z.number().int().nullable(),
    changedFiles: z.number().int().nullable(),
    comments: z.number().int().nullable(),
    reviewComments: z.number().int().nullable(),
  }),
  files: z.array(
    z.object({ filename: z.string(), status: z.string(), additions: z.number(), deletions: z.number() }),
  ),
  filesNotShown: z.number().int(),
  reviews: z.object({
    decision: z.enum(["approved", "changes_requested", "commented", "none"]),
    latestByReviewer: z.array(z.object({ reviewer: z.string(), state: z.string() })),
  }),
  checks: z.object({
    state: z.enum(["success", "failure", "pending", "none", "unknown"]),
    total: z.number().int(),
    failing: z.array(z.string()),
    pending: z.array(z.string()),
    note: z.string().optional(),
  }),
});

export const githubGetPullRequest = defineGithubTool({
  name: "github_get_pull_request",
  title: "Get a pull request",
  description:
    "Get one pull request: body, branches, mergeability, first 50 changed files, review decision and CI state of the head commit.",
  input: z.object({ ...repoShape, number: issueNumber }),
  output,
  annotations: READ_ANNOTATIONS,
  async execute(input, ctx) {
    ctx.client.allowlist.assertRepo(input.owner, input.repo);
    const base = { owner: input.owner, repo: input.repo };
    const pull = (
      await githubRequest(
        ctx,
        "GET /repos/{owner}/{repo}/pulls/{pull_number}",
        { ...base, pull_number: input.number },
        pullRequestSchema,
      )
    ).data;
    const sha = pull.head.sha;
    const [files, reviews, checks] = await Promise.all([
      githubRequest(
        ctx,
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
        { ...base, pull_number: input.number, per_page: MAX_FILES_SHOWN },
        pullRequestFileListSchema,
      ),
      githubRequest(
        ctx,
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        { ...base, pull_number: input.number, per_page: 100 },
        reviewListSchema,
      ),
      readChecks(ctx, base, sha),
    ]);
    const changedFiles = pull.changed_files ?? files.data.length;
    return {
      pullRequest: {
        ...toPullRequestSummary(pull),
        body: untrustedBody(pull.body),
        headSha: sha,
        mergeable: pull.mergeable ?? null,
        mergeableState: pull.mergeable_state ?? null,
        commits: pull.commits ?? null,
        additions: pull.additions ?? null,
        deletions: pull.deletions ?? null,
        changedFiles: pull.changed_files ?? null,
        comments: pull.comments ?? null,
        reviewComments: pull.review_comments ?? null,
      },
      files: files.data.slice(0, MAX_FILES_SHOWN).map((file) => ({
        filename: file.filename,
        status: file.status,
        additions: file.additions,
        deletions: file.deletions,
      })),
      filesNotShown: Math.max(0, changedFiles - Math.min(files.data.length, MAX_FILES_SHOWN)),
      reviews: summarizeReviews(reviews.data),
      checks,
    };
  },
});

type Review = z.infer<typeof reviewListSchema>[number];

/** The latest deciding review of each reviewer; comments alone never override an approval. */
function summarizeReviews(reviews: readonly Review[]): z.infer<typeof output>["reviews"] {
  const latest = new Map<string, string>();
  let commented = false;
  for (const review of reviews) {
    const reviewer = review.user?.login ?? "(deleted user)";
    if (review.state === "COMMENTED") {
      commented = true;
      continue;
    }
    if (review.state === "PENDING") continue;
    latest.set(reviewer, review.state);
  }
  const states = [...latest.values()];
  const decision = states.includes("CHANGES_REQUESTED")
    ? "changes_requested"
    : states.includes("APPROVED")
      ? "approved"
      : commented
        ? "commented"
        : "none";
  return {
    decision,
    latestByReviewer: [...latest].map(([reviewer, state]) => ({ reviewer, state: state.toLowerCase() })),
  };
}

/**
 * CI state from both systems GitHub has: commit statuses (combined) and check runs. A credential without
 * checks or statuses permission still gets the rest of the pull request, with the state "unknown".
 */
async function readChecks(
  ctx: GithubContext,
  base: { owner: string; repo: string },
  ref: string,
): Promise<z.infer<typeof output>["checks"]> {
  try {
    const [statuses, runs] = await Promise.all([
      githubRequest(
        ctx,
        "GET /repos/{owner}/{repo}/commits/{ref}/status",
        { ...base, ref, per_page: 100 },
        combinedStatusSchema,
      ),
      githubRequest(
        ctx,
        "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
        { ...base, ref, per_page: 100 },
        checkRunsSchema,
      ),
    ]);
    const failing: string[] = [];
    const pending: string[] = [];
    let passed = 0;
    for (const status of statuses.data.statuses) {
      if (status.state === "failure" || status.state === "error") failing.push(status.context);
      else if (status.state === "pending") pending.push(status.context);
      else passed += 1;
    }
    for (const run of runs.data.check_runs) {
      if (run.status !== "completed") pending.push(run.name);
      else if (run.conclusion && FAILED_CONCLUSIONS.has(run.conclusion)) failing.push(run.name);
      else passed += 1;
    }
    const total = failing.length + pending.length + passed;
    return {
      state: failing.length > 0 ? "failure" : pending.length > 0 ? "pending" : total > 0 ? "success" : "none",
      total,
      failing: failing.slice(0, MAX_CHECK_NAMES),
      pending: pending.slice(0, MAX_CHECK_NAMES),
    };
  } catch (error) {
    const mapped = mapGithubError(error);
    if (mapped?.code !== "permission_denied" && mapped?.code !== "not_found") throw error;
    return {
      state: "unknown",
      total: 0,
      failing: [],
      pending: [],
      note: "Checks are not readable with this credential (it needs checks and commit statuses read access).",
    };
  }
}
