/**
 * Approval for destructive calls: the operator (a callback in the native API, the end user through MCP
 * elicitation) sees the tool, the redacted input and a one-line summary, and says yes or no before anything
 * reaches the upstream.
 */

/** `always`: every call needs approval. `never`: none does. `when-unlisted`: only calls whose targets are outside the connector's allowlists. */
export type ApprovalPolicy = "always" | "never" | "when-unlisted";

export interface ApprovalRequest {
  readonly connector: string;
  readonly tool: string;
  readonly tenant: string;
  /** The validated input with secrets redacted. */
  readonly input: Readonly<Record<string, unknown>>;
  /** One line a person can judge: "Post to #ops: "Deploy done"". */
  readonly summary: string;
  /** What the call touches (repositories, channels, schemas). */
  readonly targets: readonly string[];
  /** The targets outside the allowlists; approving the call lets it reach them this once. */
  readonly unlistedTargets: readonly string[];
  readonly policy: ApprovalPolicy;
  readonly signal: AbortSignal;
}

export interface ApprovalDecision {
  readonly approved: boolean;
  /** Who decided (a user id, "mcp-elicitation"), for the audit trail. */
  readonly by?: string | undefined;
  readonly reason?: string | undefined;
}

export type ApprovalCallback = (request: ApprovalRequest) => Promise<ApprovalDecision | boolean>;

export interface ApprovalOptions {
  /** Policy per tool name or glob (`github_create_*`); the first matching entry wins. */
  readonly policies?: Readonly<Record<string, ApprovalPolicy>>;
  /** Policy for destructive tools no entry matches. Default `never`; non-destructive tools default to `never` always. */
  readonly destructiveDefault?: ApprovalPolicy;
  /** Asked when a call needs approval; per-call `approve` (CallOptions) takes precedence. */
  readonly approve?: ApprovalCallback;
}

/** What the audit trail records about approval. */
export interface ApprovalRecord {
  readonly policy: ApprovalPolicy;
  readonly decision: "not_required" | "approved" | "denied" | "unavailable";
  readonly by?: string | undefined;
  readonly reason?: string | undefined;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${escaped}$`);
}

export function policyFor(
  options: ApprovalOptions | undefined,
  tool: { readonly name: string; readonly annotations: { readonly destructive: boolean } },
): ApprovalPolicy {
  for (const [pattern, policy] of Object.entries(options?.policies ?? {})) {
    if (globToRegExp(pattern).test(tool.name)) return policy;
  }
  return tool.annotations.destructive ? (options?.destructiveDefault ?? "never") : "never";
}
