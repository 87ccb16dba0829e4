/**
 * The closed set of error codes every Switchyard connector speaks. Codes are additive only: a code, once
 * published, keeps its meaning forever, because agents and dashboards branch on it.
 */
export const ERROR_CODES = [
  "invalid_input",
  "credentials_missing",
  "unauthenticated",
  "permission_denied",
  "not_found",
  "conflict",
  "rate_limited",
  "quota_exhausted",
  "upstream_unavailable",
  "timeout",
  "network",
  "invalid_response",
  "cancelled",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Who has to act to fix the failure. */
export type ErrorFault = "caller" | "upstream" | "connector";

export interface ErrorCodeInfo {
  /** Who usually caused it; a connector may say otherwise for one error. */
  readonly fault: ErrorFault;
  /** Whether repeating the same call later can succeed without changing anything. */
  readonly retryable: boolean;
  /** One line for the docs table. */
  readonly meaning: string;
  /** The default hint, written for a model deciding what to do next. */
  readonly hint: string;
}

export const ERROR_CODE_INFO: Readonly<Record<ErrorCode, ErrorCodeInfo>> = {
  invalid_input: {
    fault: "caller",
    retryable: false,
    meaning: "The arguments are malformed or refused by the upstream's validation.",
    hint: "Fix the arguments named in the message, then call again.",
  },
  credentials_missing: {
    fault: "caller",
    retryable: false,
    meaning: "No credential is configured for this connector.",
    hint: "Ask the operator to set the named setting or environment variable; do not retry.",
  },
  unauthenticated: {
    fault: "caller",
    retryable: false,
    meaning: "The upstream rejected the credential (expired, revoked or wrong) even after one refresh.",
    hint: "The credential is invalid; ask the operator to renew it. Retrying will not help.",
  },
  permission_denied: {
    fault: "caller",
    retryable: false,
    meaning: "The credential is valid but lacks a permission, scope or allowlist entry for this action.",
    hint: "Do not retry; choose a target this connector may access or ask for the missing permission.",
  },
  not_found: {
    fault: "caller",
    retryable: false,
    meaning: "The target does not exist, or is private and invisible to this credential.",
    hint: "Check the identifiers (spelling, owner, id); list the parent resource to find the right one.",
  },
  conflict: {
    fault: "caller",
    retryable: false,
    meaning: "The target changed or is in a state that forbids this action.",
    hint: "Read the target's current state, then decide whether to try again.",
  },
  rate_limited: {
    fault: "upstream",
    retryable: true,
    meaning: "The upstream's rate limit was hit and the wait did not fit in the call's deadline.",
    hint: "Wait retryAfterMs milliseconds before calling again; do not loop immediately.",
  },
  quota_exhausted: {
    fault: "caller",
    retryable: true,
    meaning: "This tenant used up its configured call quota for the current window.",
    hint: "Wait retryAfterMs milliseconds for the quota window to reset.",
  },
  upstream_unavailable: {
    fault: "upstream",
    retryable: true,
    meaning: "The upstream failed (5xx, maintenance) and bounded retries did not get through.",
    hint: "The upstream is having trouble; try again later, after retryAfterMs if given.",
  },
  timeout: {
    fault: "upstream",
    retryable: true,
    meaning: "The call did not finish within its deadline.",
    hint: "Try again, with a narrower request or a longer deadline. For writes, check whether it applied first.",
  },
  network: {
    fault: "upstream",
    retryable: true,
    meaning: "The connection failed (DNS, refused, reset) before a complete answer arrived.",
    hint: "A transient network failure; try again shortly. For writes, check whether it applied first.",
  },
  invalid_response: {
    fault: "upstream",
    retryable: false,
    meaning: "The upstream answered with something the connector cannot read (not JSON, wrong shape).",
    hint: "The upstream answered unexpectedly; report this to the operator.",
  },
  cancelled: {
    fault: "caller",
    retryable: false,
    meaning: "The caller cancelled the call.",
    hint: "The call was cancelled on request; nothing to do.",
  },
  internal: {
    fault: "connector",
    retryable: false,
    meaning: "A bug in the connector.",
    hint: "This is a connector bug; report it to the operator.",
  },
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}
