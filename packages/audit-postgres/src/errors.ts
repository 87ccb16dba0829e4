import { redactText } from "@switchyard/core";

/**
 * Every error this package throws. The message is redacted (registered secrets, passwords in connection
 * strings, token shapes); `code` is the SQLSTATE (`42501`) or the Node system error code (`ECONNREFUSED`)
 * when there was one.
 */
export class PostgresAuditError extends Error {
  override readonly name = "PostgresAuditError";
  readonly code: string | undefined;

  constructor(message: string, code?: string) {
    super(redactText(message));
    this.code = code;
  }
}

function describe(error: unknown): { message: string; code: string | undefined } {
  if (!(error instanceof Error)) return { message: String(error), code: undefined };
  const rawCode = (error as { code?: unknown }).code;
  const code = typeof rawCode === "string" ? rawCode : undefined;
  let message = error.message;
  // A failed connect to a host with several addresses is an AggregateError with an empty message.
  if (!message && error instanceof AggregateError) {
    message = error.errors
      .map((inner) => (inner instanceof Error ? inner.message : String(inner)))
      .join("; ");
  }
  return { message: message || code || error.name, code };
}

/** Wraps whatever pg threw: redacted message with what was being done, the code kept, nothing else. */
export function auditError(action: string, error: unknown): PostgresAuditError {
  if (error instanceof PostgresAuditError) return error;
  const { message, code } = describe(error);
  return new PostgresAuditError(`${action}: ${message}`, code);
}
