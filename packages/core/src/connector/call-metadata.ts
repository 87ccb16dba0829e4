import type { ApprovalRecord } from "../approval/approval.js";
import type { BucketState } from "../rate-limit/rate-limiter.js";
import type { QuotaState } from "../rate-limit/tenant-quota.js";
import type { BulkheadLoad } from "../resilience/bulkhead.js";
import type { CircuitStatus } from "../resilience/circuit-breakers.js";

/** What one call cost and saw; returned with every result and attached to every event. */
export interface CallMetadata {
  readonly callId: string;
  readonly attempts: number;
  readonly durationMs: number;
  /** Time spent waiting on rate limits (spacing, pauses, queue). */
  readonly rateLimitWaitMs: number;
  /** Upstream pages read. */
  readonly pages: number;
  readonly outputBytes: number;
  readonly outputTokens: number;
  readonly truncated: boolean;
  readonly requestIds: readonly string[];
  /** The rate-limit bucket the call drew from and what is known of its remaining budget. */
  readonly rateLimit?: BucketState | undefined;
  /** The tenant's remaining quota, when quotas are configured. */
  readonly quota?: QuotaState | undefined;
  readonly credentialRefreshed: boolean;
  /** The approval policy that applied and what was decided. */
  readonly approval?: ApprovalRecord | undefined;
  /** The upstream's circuit after the call. */
  readonly circuit?: CircuitStatus | undefined;
  /** The upstream's bulkhead load after the call. */
  readonly bulkhead?: BulkheadLoad | undefined;
}
