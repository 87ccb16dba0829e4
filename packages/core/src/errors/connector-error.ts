import { redactText, redactValue } from "../redaction/redactor.js";
import { ERROR_CODE_INFO, type ErrorCode, type ErrorFault } from "./error-codes.js";

const BRAND = Symbol.for("switchyard.error.ConnectorError");

/** What the upstream said, when the failure came from it. */
export interface UpstreamErrorInfo {
  /** HTTP status, or a protocol status such as a SQLSTATE for PostgreSQL. */
  readonly status?: number | undefined;
  /** The upstream's own error code (`missing_scope`, `42501`, `ResourceNotFoundException`). */
  readonly code?: string | undefined;
  /** The upstream's request id, for support tickets (`x-github-request-id`, `x-request-id`). */
  readonly requestId?: string | undefined;
}

export interface ConnectorErrorOptions {
  readonly code: ErrorCode;
  readonly message: string;
  readonly fault?: ErrorFault;
  readonly retryable?: boolean;
  readonly retryAfterMs?: number | undefined;
  readonly hint?: string;
  readonly upstream?: UpstreamErrorInfo;
  /**
   * True only when the failure proves the upstream did not apply the request (a 429, a refused connection,
   * a rejected credential): then even a non-idempotent write may be sent again.
   */
  readonly notApplied?: boolean;
  /** Structured, non-secret details (field errors, the missing scope). Redacted in JSON. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly connector?: string | undefined;
  readonly tool?: string | undefined;
  readonly cause?: unknown;
}

/** A cause, reduced to what is safe to keep: name, redacted message, code, and its own cause. */
export interface ErrorCauseSummary {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export interface ConnectorErrorJson {
  readonly name: "ConnectorError";
  readonly code: ErrorCode;
  readonly message: string;
  readonly fault: ErrorFault;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly hint: string;
  readonly connector?: string;
  readonly tool?: string;
  readonly upstream?: UpstreamErrorInfo;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly causes: readonly ErrorCauseSummary[];
}

/**
 * The one error type every Switchyard call fails with. Its message, hint and cause chain are redacted when
 * it is built, so logging it, serialising it or printing its stack cannot leak a secret.
 */
export class ConnectorError extends Error {
  override readonly name = "ConnectorError";
  readonly code: ErrorCode;
  readonly fault: ErrorFault;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly hint: string;
  readonly upstream: UpstreamErrorInfo | undefined;
  readonly notApplied: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly connector: string | undefined;
  readonly tool: string | undefined;

  constructor(options: ConnectorErrorOptions) {
    const info = ERROR_CODE_INFO[options.code];
    super(
      redactText(options.message),
      options.cause === undefined ? {} : { cause: summarizeCause(options.cause) },
    );
    Object.defineProperty(this, BRAND, { value: true });
    this.code = options.code;
    this.fault = options.fault ?? info.fault;
    this.retryable = options.retryable ?? info.retryable;
    this.retryAfterMs =
      options.retryAfterMs === undefined ? undefined : Math.max(0, Math.ceil(options.retryAfterMs));
    this.hint = redactText(options.hint ?? info.hint);
    this.upstream = options.upstream ? redactValue(options.upstream) : undefined;
    this.notApplied = options.notApplied ?? false;
    this.details = options.details ? redactValue(options.details) : undefined;
    this.connector = options.connector;
    this.tool = options.tool;
    if (this.stack) this.stack = redactText(this.stack);
  }

  /** Recognises a ConnectorError from any copy of this package (duplicated installs, bundles). */
  static isInstance(value: unknown): value is ConnectorError {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /** A copy with connector and tool filled in where they are missing (the pipeline adds context). */
  withContext(context: { connector?: string; tool?: string }): ConnectorError {
    if (this.connector && this.tool) return this;
    const copy = new ConnectorError({
      ...this.options(),
      connector: this.connector ?? context.connector,
      tool: this.tool ?? context.tool,
    });
    if (this.stack) copy.stack = this.stack;
    return copy;
  }

  /** A copy with some fields replaced (the pipeline uses it to mark a failure as given up on). */
  with(overrides: Partial<ConnectorErrorOptions>): ConnectorError {
    const copy = new ConnectorError({ ...this.options(), ...overrides });
    if (this.stack) copy.stack = this.stack;
    return copy;
  }

  /** The chain of causes, outermost first, each already redacted. */
  causes(): ErrorCauseSummary[] {
    const chain: ErrorCauseSummary[] = [];
    let current: unknown = this.cause;
    while (current && chain.length < 10) {
      const summary = current as ErrorCauseSummary & { cause?: unknown };
      chain.push({
        name: summary.name,
        message: summary.message,
        ...(summary.code ? { code: summary.code } : {}),
      });
      current = summary.cause;
    }
    return chain;
  }

  toJSON(): ConnectorErrorJson {
    return redactValue({
      name: "ConnectorError" as const,
      code: this.code,
      message: this.message,
      fault: this.fault,
      retryable: this.retryable,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      hint: this.hint,
      ...(this.connector ? { connector: this.connector } : {}),
      ...(this.tool ? { tool: this.tool } : {}),
      ...(this.upstream ? { upstream: this.upstream } : {}),
      ...(this.details ? { details: this.details } : {}),
      causes: this.causes(),
    });
  }

  private options(): ConnectorErrorOptions {
    return {
      code: this.code,
      message: this.message,
      fault: this.fault,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      hint: this.hint,
      ...(this.upstream ? { upstream: this.upstream } : {}),
      notApplied: this.notApplied,
      ...(this.details ? { details: this.details } : {}),
      ...(this.connector ? { connector: this.connector } : {}),
      ...(this.tool ? { tool: this.tool } : {}),
      ...(this.cause === undefined ? {} : { cause: this.cause }),
    };
  }
}

/**
 * Reduces any thrown value to a plain Error holding only its name, redacted message and code, recursively.
 * The original is dropped on purpose: upstream errors carry request objects with Authorization headers.
 */
export function summarizeCause(cause: unknown, depth = 0): Error {
  if (cause instanceof Error && (cause as { [BRAND]?: unknown })[BRAND] === true) return cause;
  const source = cause as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } | null;
  const name = typeof source?.name === "string" ? source.name : typeof cause;
  const message =
    typeof source?.message === "string" ? source.message : typeof cause === "string" ? cause : String(name);
  const nested =
    depth < 8 && source && typeof source === "object" && source.cause !== undefined
      ? { cause: summarizeCause(source.cause, depth + 1) }
      : {};
  const summary = new Error(redactText(message), nested);
  summary.name = name;
  if (typeof source?.code === "string" || typeof source?.code === "number") {
    (summary as Error & { code?: string }).code = String(source.code);
  }
  summary.stack = `${summary.name}: ${summary.message}`;
  return summary;
}
