import {
  type ApprovalCallback,
  type ApprovalOptions,
  type ApprovalPolicy,
  type ApprovalRecord,
  policyFor,
} from "../approval/approval.js";
import { requestApproval } from "../approval/request-approval.js";
import { redactText, redactValue } from "../redaction/redactor.js";
import type { AnyToolDefinition } from "../tool/define-tool.js";

const MAX_SUMMARY = 200;

/** What an approval for one call would show, and whether one is needed. */
export interface ApprovalPreview {
  readonly policy: ApprovalPolicy;
  readonly required: boolean;
  readonly summary: string;
  readonly targets: readonly string[];
  readonly unlistedTargets: readonly string[];
  readonly input: Readonly<Record<string, unknown>>;
}

export function previewApproval(
  tool: AnyToolDefinition,
  input: unknown,
  isListed: ((target: string) => boolean) | undefined,
  options: ApprovalOptions | undefined,
): ApprovalPreview {
  const policy = policyFor(options, tool);
  const redacted = redactValue(input) as Record<string, unknown>;
  if (policy === "never") {
    return {
      policy,
      required: false,
      summary: tool.title,
      targets: [],
      unlistedTargets: [],
      input: redacted,
    };
  }
  const described = tool.describeCall?.(input);
  // The tool builds its summary from the raw input, so it is redacted here like everything else shown.
  const summary = redactText(described?.summary ?? `${tool.title}: ${JSON.stringify(redacted)}`).slice(
    0,
    MAX_SUMMARY,
  );
  const targets = described?.targets ?? [];
  const unlistedTargets = isListed ? targets.filter((target) => !isListed(target)) : [];
  const required = policy === "always" || (policy === "when-unlisted" && unlistedTargets.length > 0);
  return { policy, required, summary, targets, unlistedTargets, input: redacted };
}

export interface ApproveIfNeededInput {
  readonly tool: AnyToolDefinition;
  readonly input: unknown;
  readonly tenant: string;
  readonly connectorId: string;
  readonly isListed: ((target: string) => boolean) | undefined;
  readonly options: ApprovalOptions | undefined;
  readonly approve: ApprovalCallback | undefined;
  readonly signal: AbortSignal;
  readonly onRecord: (record: ApprovalRecord) => void;
}

/** Runs the tool's approval policy; returns the unlisted targets an approval cleared (empty otherwise). */
export async function approveIfNeeded(request: ApproveIfNeededInput): Promise<readonly string[]> {
  const preview = previewApproval(request.tool, request.input, request.isListed, request.options);
  if (!preview.required) {
    request.onRecord({ policy: preview.policy, decision: "not_required" });
    return [];
  }
  await requestApproval(
    {
      connector: request.connectorId,
      tool: request.tool.name,
      tenant: request.tenant,
      input: preview.input,
      summary: preview.summary,
      targets: preview.targets,
      unlistedTargets: preview.unlistedTargets,
      policy: preview.policy,
      signal: request.signal,
    },
    request.approve ?? request.options?.approve,
    request.onRecord,
  );
  return preview.unlistedTargets;
}
