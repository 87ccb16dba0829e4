import {
  type ApprovalCallback,
  type AuditTrail,
  type CallEvent,
  ConnectorError,
  createConnector,
  defineTool,
  fromValue,
  httpStatusError,
  READ_ANNOTATIONS,
} from "@switchyard/core";
import { z } from "zod";

/** Registered as the connector's credential (so core redacts it) and pushed into inputs and errors. */
export const CANARY = "canary-audit-pg-5e4d3c2b1a09";

export const FAILURES = {
  not_found: () => httpStatusError({ status: 404, message: `no item for token ${CANARY}` }),
  conflict: () => httpStatusError({ status: 409, message: `item changed (credential ${CANARY})` }),
  unauthenticated: () => httpStatusError({ status: 401, message: `Bad credentials: ${CANARY}` }),
  rate_limited: () =>
    new ConnectorError({ code: "rate_limited", message: `slow down ${CANARY}`, retryAfterMs: 600_000 }),
  upstream_unavailable: () => httpStatusError({ status: 503, message: `maintenance, key=${CANARY}` }),
  internal: () => new Error(`boom with Authorization: Bearer ${CANARY}`),
} as const;

export type Mode = "ok" | keyof typeof FAILURES;

const runTool = defineTool({
  name: "auditfake_run",
  title: "Run",
  description: "Succeeds or fails in a chosen way.",
  input: z.object({ mode: z.enum(["ok", ...Object.keys(FAILURES)] as [Mode, ...Mode[]]), note: z.string() }),
  output: z.object({ echoed: z.string() }),
  annotations: READ_ANNOTATIONS,
  async execute(input) {
    if (input.mode === "ok") return { echoed: input.note };
    throw FAILURES[input.mode]();
  },
});

const deleteTool = defineTool({
  name: "auditfake_delete_item",
  title: "Delete item",
  description: "Deletes an item (needs approval).",
  input: z.object({ item: z.string(), reason: z.string() }),
  output: z.object({ deleted: z.boolean() }),
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: true },
  describeCall: (input) => ({ summary: `Delete ${input.item}`, targets: [input.item] }),
  execute: async () => ({ deleted: true }),
});

export function fakeConnector(audit: AuditTrail, onEvent?: (event: CallEvent) => void) {
  return createConnector({
    id: "auditfake",
    title: "Audit fake",
    tools: [runTool, deleteTool],
    buckets: {},
    credentials: fromValue(CANARY),
    client: () => undefined,
    options: {
      audit,
      allowWrites: true,
      retry: { maxRetries: 0 },
      approval: { policies: { auditfake_delete_item: "always" } },
      resilience: { circuitBreaker: false, bulkhead: false },
      ...(onEvent ? { onEvent } : {}),
    },
  });
}

export const approveAs =
  (by: string, approved: boolean, reason?: string): ApprovalCallback =>
  async () => ({ approved, by, reason });
