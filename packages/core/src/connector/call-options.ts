import type { ApprovalCallback } from "../approval/approval.js";
import type { ProgressUpdate } from "../tool/tool-context.js";
import type { CallMetadata } from "./call-metadata.js";

export interface CallOptions {
  /** Cancels the call; the upstream request is aborted. */
  readonly signal?: AbortSignal | undefined;
  /** Time budget in ms for this call, capped by the connector's maxDeadlineMs. */
  readonly deadlineMs?: number | undefined;
  /** Who the call is for: quotas and the audit trail are per tenant. Default `default`. */
  readonly tenant?: string | undefined;
  /** Output budget for this call, tighter than the connector's if given. */
  readonly maxOutputTokens?: number | undefined;
  readonly onProgress?: ((update: ProgressUpdate) => void) | undefined;
  /** Asked when this call needs approval (MCP elicitation); overrides the connector's approver. */
  readonly approve?: ApprovalCallback | undefined;
}

export interface CallResult<Output = Record<string, unknown>> {
  readonly output: Output;
  readonly metadata: CallMetadata;
}
