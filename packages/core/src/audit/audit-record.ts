import type { ApprovalRecord } from "../approval/approval.js";
import type { ErrorCode } from "../errors/error-codes.js";

/** One call, as the audit trail keeps it. Input is redacted; no secret is ever written. */
export interface AuditRecord {
  readonly id: string;
  /** ISO 8601 time the call started. */
  readonly at: string;
  readonly tenant: string;
  readonly connector: string;
  readonly tool: string;
  readonly input: unknown;
  /** `ok`, or the error code the call failed with. */
  readonly outcome: "ok" | ErrorCode;
  readonly errorMessage?: string | undefined;
  readonly attempts: number;
  readonly requestIds: readonly string[];
  readonly durationMs: number;
  readonly approval?: ApprovalRecord | undefined;
}

/** Where audit records go. `write` may fail; the trail keeps the records and tries again. */
export interface AuditSink {
  readonly name: string;
  write(records: readonly AuditRecord[]): Promise<void>;
  close?(): Promise<void>;
}
