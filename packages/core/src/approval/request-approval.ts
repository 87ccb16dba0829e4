import { raceSignal } from "../deadline/race-signal.js";
import { ConnectorError } from "../errors/connector-error.js";
import { redactText } from "../redaction/redactor.js";
import type { ApprovalCallback, ApprovalRecord, ApprovalRequest } from "./approval.js";

/**
 * Asks for an approval the policy requires. Reports the decision for the audit trail; resolves when the call
 * may go on; throws `permission_denied` when it was denied or nobody could be asked. A hung approver ends at
 * the call's deadline like everything else.
 */
export async function requestApproval(
  request: ApprovalRequest,
  approve: ApprovalCallback | undefined,
  onRecord: (record: ApprovalRecord) => void,
): Promise<void> {
  if (!approve) {
    onRecord({ policy: request.policy, decision: "unavailable" });
    throw new ConnectorError({
      code: "permission_denied",
      message: `${request.tool} needs approval (${request.summary}), and no approver is available here.`,
      hint: "This action needs a person's approval, which this client cannot ask for. Do not retry; tell the user.",
      notApplied: true,
      details: { approval: "unavailable" },
    });
  }
  const answer = await raceSignal(approve(request), request.signal);
  const decision = typeof answer === "boolean" ? { approved: answer } : answer;
  // Who decided and why are free text from the approver: redacted like everything else that is kept.
  const by = decision.by === undefined ? undefined : redactText(decision.by);
  const reason = decision.reason === undefined ? undefined : redactText(decision.reason);
  onRecord({ policy: request.policy, decision: decision.approved ? "approved" : "denied", by, reason });
  if (!decision.approved) {
    throw new ConnectorError({
      code: "permission_denied",
      message: `Approval denied for ${request.tool} (${request.summary})${reason ? `: ${reason}` : "."}`,
      hint: "A person declined this action. Do not retry it unless they ask you to.",
      notApplied: true,
      details: { approval: "denied" },
    });
  }
}
