import type { AuditRecord } from "../audit/audit-record.js";
import type { ConnectorError } from "../errors/connector-error.js";
import type { CallMetadata } from "./call-metadata.js";

/** The audit record of one finished call. The input was redacted when it was captured. */
export function auditRecord(call: {
  readonly base: {
    readonly connector: string;
    readonly tool: string;
    readonly tenant: string;
    readonly callId: string;
  };
  readonly startedAt: number;
  readonly input: unknown;
  readonly metadata: CallMetadata;
  readonly error?: ConnectorError;
}): AuditRecord {
  return {
    id: call.base.callId,
    at: new Date(call.startedAt).toISOString(),
    tenant: call.base.tenant,
    connector: call.base.connector,
    tool: call.base.tool,
    input: call.input,
    outcome: call.error ? call.error.code : "ok",
    ...(call.error ? { errorMessage: call.error.message } : {}),
    attempts: call.metadata.attempts,
    requestIds: call.metadata.requestIds,
    durationMs: call.metadata.durationMs,
    ...(call.metadata.approval ? { approval: call.metadata.approval } : {}),
  };
}
