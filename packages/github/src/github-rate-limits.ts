import type { BucketSpecs } from "@switchyard/core";

/**
 * Client-side buckets, kept per credential. GitHub's secondary limits cannot be queried, so these stay well
 * under them: GitHub's best-practice guide asks for serial requests and at least one second between mutations.
 */
export const GITHUB_BUCKETS: BucketSpecs = {
  read: { maxConcurrent: 10 },
  write: { maxConcurrent: 1, minTimeMs: 1000 },
  /** Issue, PR and repository search: 30 requests per minute (x-ratelimit-resource: search). */
  search: { maxConcurrent: 2, reservoir: { amount: 30, intervalMs: 60_000 } },
  /** Code search has its own, smaller budget: 10 requests per minute (x-ratelimit-resource: code_search). */
  code_search: { maxConcurrent: 1, reservoir: { amount: 10, intervalMs: 60_000 } },
};

/**
 * Which of our buckets a response's `x-ratelimit-resource` budget belongs to. `core` is the budget every REST
 * call but search shares, so both read and write learn from it. GraphQL and the rest are not ours to pace.
 */
export function bucketsForResource(resource: string | undefined): readonly string[] | undefined {
  switch (resource) {
    case "core":
      return ["read", "write"];
    case "search":
      return ["search"];
    case "code_search":
      return ["code_search"];
    case undefined:
      return undefined;
    default:
      return [];
  }
}
