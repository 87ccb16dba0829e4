import {
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type McpServer,
  type ServerContext,
} from "@modelcontextprotocol/server";
import type { ApprovalCallback, ApprovalPreview } from "@switchyard/core";
import { z } from "zod";

/** The key of our approval question in an input_required round trip. */
const APPROVAL_KEY = "switchyard_approval";
const approvalAnswer = z.object({ approve: z.boolean().meta({ title: "Approve this action" }) });

export type ApprovalStep =
  /** Ask the user first: return this from the handler; the client answers and calls again. */
  | { readonly kind: "ask"; readonly result: InputRequiredResult }
  /** The user answered: pass this approver to the call so the decision is applied and audited. */
  | { readonly kind: "answered"; readonly approve: ApprovalCallback }
  /** The client cannot be asked: the connector's own approver decides, or the call is refused. */
  | { readonly kind: "cannot-ask" };

/**
 * The client capabilities that apply to this request: the request's own envelope on the 2026-07-28 protocol,
 * the initialize handshake on a 2025 connection. A stateless 2025 HTTP request has neither, and cannot be
 * asked anything (the answer would arrive at another instance).
 */
function clientCapabilities(context: ServerContext, server: McpServer): ClientCapabilities | undefined {
  const envelope = context.mcpReq.envelope as Record<string, unknown> | undefined;
  return (
    (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ??
    server.server.getClientCapabilities()
  );
}

/**
 * MCP elicitation for an approval: the first round returns an input_required result asking the user (the SDK
 * turns it into a pushed `elicitation/create` on 2025 stdio connections); the retried call carries the answer.
 */
export function approvalStep(
  preview: ApprovalPreview,
  context: ServerContext,
  server: McpServer,
): ApprovalStep {
  const view = inputResponse(context.mcpReq.inputResponses, APPROVAL_KEY);
  if (view.kind === "elicit") {
    const accepted = acceptedContent(context.mcpReq.inputResponses, APPROVAL_KEY, approvalAnswer);
    const approved = view.action === "accept" && accepted?.approve === true;
    const reason =
      view.action === "accept" ? (approved ? undefined : "not approved") : `the user chose ${view.action}`;
    return { kind: "answered", approve: async () => ({ approved, by: "mcp-elicitation", reason }) };
  }
  if (!clientCapabilities(context, server)?.elicitation) return { kind: "cannot-ask" };
  const targets =
    preview.unlistedTargets.length > 0
      ? ` (outside the allowlist: ${preview.unlistedTargets.join(", ")})`
      : "";
  return {
    kind: "ask",
    result: inputRequired({
      inputRequests: {
        [APPROVAL_KEY]: inputRequired.elicit({
          message: `Approve this action? ${preview.summary}${targets}`,
          requestedSchema: approvalAnswer,
        }),
      },
    }),
  };
}
