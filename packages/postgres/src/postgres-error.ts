import type { ErrorCode, ErrorMapper } from "@switchyard/core";
import { ConnectorError, networkError } from "@switchyard/core";

/** What pg's DatabaseError carries; checked structurally, since several copies of pg may be loaded. */
export interface PostgresErrorLike {
  readonly message: string;
  /** SQLSTATE. */
  readonly code: string;
  readonly severity?: string | undefined;
  readonly detail?: string | undefined;
  readonly hint?: string | undefined;
  /** 1-based character position in the statement text, as a string. */
  readonly position?: string | undefined;
  readonly schema?: string | undefined;
  readonly table?: string | undefined;
  readonly column?: string | undefined;
  readonly constraint?: string | undefined;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function isPostgresError(error: unknown): error is PostgresErrorLike {
  if (!error || typeof error !== "object") return false;
  const candidate = error as { code?: unknown; severity?: unknown; name?: unknown };
  return (
    typeof candidate.code === "string" &&
    SQLSTATE.test(candidate.code) &&
    (typeof candidate.severity === "string" || candidate.name === "DatabaseError")
  );
}

/** Raised by the pool when no connection could be had in time (pool exhausted, or connecting took too long). */
export class PoolTimeoutError extends Error {
  override readonly name = "PoolTimeoutError";
  constructor(
    message: string,
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Context the executor knows and the bare error does not. */
export interface PostgresErrorContext {
  /**
   * The failure happened inside a write's transaction before its COMMIT was sent (or the server refused the
   * COMMIT with an ERROR): the transaction was rolled back, by the connector or by the server when the
   * connection died, so nothing was applied and the write may run again.
   */
  readonly rolledBack?: boolean;
  /**
   * The write's COMMIT was sent and no answer proves it failed (the connection died, or a FATAL error ended
   * it): the server may have committed. Never retried; the error says the outcome is unknown.
   */
  readonly outcomeUnknown?: boolean;
  /** Shift applied to the server's error position (the statement was sent wrapped). */
  readonly positionOffset?: number;
  /** Length of the caller's statement, to clamp a shifted position. */
  readonly statementLength?: number;
  /** statement_timeout in force, for the timeout message. */
  readonly statementTimeoutMs?: number;
}

interface Rule {
  readonly code: ErrorCode;
  readonly retryable?: boolean;
  /** The failure proves nothing was applied, whatever the context. */
  readonly notApplied?: boolean;
  readonly hint?: string;
  /** Who has to act, when it differs from the code's default. */
  readonly fault?: "caller" | "upstream" | "connector";
}

const NOT_RETRYABLE_QUERY_HINT =
  "The query ran longer than its statement_timeout; repeating it unchanged will time out again. Narrow it (WHERE, LIMIT, indexed columns) or check its plan with postgres_explain.";

/** SQLSTATEs with a mapping of their own; classes (first two characters) below. */
const BY_CODE: Readonly<Record<string, Rule>> = {
  "28P01": {
    code: "unauthenticated",
    notApplied: true,
    hint: "PostgreSQL rejected the password (after one refresh of the credential); ask the operator to check it. Retrying will not help.",
  },
  "28000": {
    code: "unauthenticated",
    notApplied: true,
    hint: "PostgreSQL refused the login (no pg_hba.conf entry, or the role cannot log in); ask the operator. Retrying will not help.",
  },
  "42501": {
    code: "permission_denied",
    hint: "The database role lacks a privilege for this (GRANT needed). Do not retry; query something this role may read.",
  },
  "42P01": {
    code: "not_found",
    hint: "No such table or view. Use postgres_list_tables to find it, and schema-qualify it (schema.table) when it is not on the search_path.",
  },
  "42703": {
    code: "not_found",
    hint: "No such column. Use postgres_describe_table to see the table's columns and their exact names.",
  },
  "3F000": {
    code: "not_found",
    hint: "No such schema. Use postgres_list_schemas to see the schemas.",
  },
  "42883": {
    code: "not_found",
    hint: "No function or operator matches these argument types; check the name and cast the arguments.",
  },
  "42601": {
    code: "invalid_input",
    hint: "A syntax error at the position in details.position; fix the SQL and call again.",
  },
  // The statement outran the timeout the connector set: the query's fault, not the server's health.
  "57014": { code: "timeout", retryable: false, fault: "caller", hint: NOT_RETRYABLE_QUERY_HINT },
  // The server rolled the whole transaction back: a write was not applied (the executor says so through
  // `rolledBack`, core then repeats it within the call's retries).
  "40001": {
    code: "conflict",
    retryable: true,
    hint: "A serialization failure: the transaction was rolled back and can be run again as a whole.",
  },
  "40P01": {
    code: "conflict",
    retryable: true,
    hint: "A deadlock: this transaction was rolled back and can be run again as a whole.",
  },
  // The session was ended by the server. Inside a statement nothing was committed; the connection is gone,
  // so the pool closes it and a retry gets a new one.
  "57P01": {
    code: "upstream_unavailable",
    retryable: true,
    hint: "PostgreSQL ended the session (an administrator's pg_terminate_backend, or a shutdown); try again shortly on a new connection.",
  },
  "57P02": {
    code: "upstream_unavailable",
    retryable: true,
    hint: "PostgreSQL is restarting after a crash of another server process; try again shortly.",
  },
  "57P03": {
    code: "upstream_unavailable",
    retryable: true,
    notApplied: true,
    hint: "PostgreSQL is starting up or shutting down and accepts no connections yet; try again shortly.",
  },
  "55P03": {
    code: "conflict",
    retryable: true,
    hint: "A lock was not available within lock_timeout; try again shortly.",
  },
  // Raised while connecting (server-wide max_connections, or the role's or database's CONNECTION LIMIT):
  // no statement was sent.
  "53300": {
    code: "upstream_unavailable",
    retryable: true,
    notApplied: true,
    hint: "The server, the role or the database has no free connection slots (too_many_connections); try again shortly, or ask the operator to raise the limit or lower other clients' pool sizes.",
  },
  "25006": {
    code: "permission_denied",
    hint: "A write was attempted in read-only mode; this connector's reads cannot change data. Use postgres_execute for writes, if the operator allows them.",
  },
  "25001": {
    code: "permission_denied",
    hint: "The transaction's mode cannot be changed here; the read-only transaction is not yours to end or alter.",
  },
  "23505": {
    code: "conflict",
    hint: "A row with this key already exists (unique violation); read it first, then decide.",
  },
  "23P01": {
    code: "conflict",
    hint: "An exclusion constraint refused the row; read the conflicting rows first.",
  },
  "0A000": { code: "invalid_input", hint: "PostgreSQL does not support this here; rephrase the statement." },
};

/** SQLSTATE classes: the first two characters. */
const BY_CLASS: Readonly<Record<string, Rule>> = {
  "08": {
    code: "network",
    retryable: true,
    hint: "The connection to PostgreSQL failed; try again shortly. For writes, check whether it applied first.",
  },
  "22": {
    code: "invalid_input",
    hint: "A value is invalid for its type or operation; fix the data or casts.",
  },
  "23": { code: "invalid_input", hint: "A constraint refused the data (details name it); fix the values." },
  "25": { code: "permission_denied", hint: "The statement is not allowed in this transaction state." },
  "28": { code: "unauthenticated", notApplied: true },
  "3D": { code: "not_found", hint: "No such database; ask the operator to check DATABASE_URL." },
  "42": { code: "invalid_input", hint: "PostgreSQL refused the statement; fix it as the message says." },
  "53": {
    code: "upstream_unavailable",
    retryable: false,
    hint: "The server is out of a resource (disk, memory).",
  },
  "54": { code: "invalid_input", hint: "The statement exceeds a server limit; simplify it." },
  "55": { code: "conflict", hint: "The object is not in a state that allows this; read its state first." },
  "57": {
    code: "upstream_unavailable",
    retryable: true,
    hint: "The server is shutting down, restarting or not accepting connections yet; try again shortly.",
  },
  "58": { code: "upstream_unavailable", retryable: false },
  "72": { code: "conflict", retryable: true, hint: "The snapshot is too old; run the query again." },
  XX: { code: "upstream_unavailable", retryable: false, hint: "PostgreSQL reported an internal error." },
  P0: { code: "invalid_input", hint: "A PL/pgSQL function raised this error." },
};

const OUTCOME_UNKNOWN_HINT =
  "The write's COMMIT was sent but its answer was lost, so it may or may not have been applied. Do not repeat it blindly: read the rows it targets to see whether it was applied, then decide.";
const ROLLED_BACK_HINT =
  "The connection to PostgreSQL failed before the write's COMMIT was sent, so its transaction was rolled back and nothing was applied; running the write again is safe.";

/** A write's outcome, as the executor knows it, on a transport or session failure. */
function withWriteOutcome(error: ConnectorError, context: PostgresErrorContext): ConnectorError {
  if (context.outcomeUnknown) {
    return error.with({
      message: `${error.message} The connection failed after COMMIT was sent: the outcome of the write is unknown (it may or may not have been applied).`,
      retryable: false,
      notApplied: false,
      hint: OUTCOME_UNKNOWN_HINT,
      details: { ...error.details, outcome: "unknown" },
    });
  }
  if (context.rolledBack) {
    return error.with({
      message: `${error.message} COMMIT was never sent: the transaction was rolled back and nothing was applied.`,
      notApplied: true,
      hint: ROLLED_BACK_HINT,
      details: { ...error.details, outcome: "not_applied" },
    });
  }
  return error;
}

/** Errors pg and pg-pool raise without a SQLSTATE. */
const TRANSPORT_MESSAGES: readonly { pattern: RegExp; code: ErrorCode; notApplied: boolean }[] = [
  { pattern: /timeout exceeded when trying to connect/i, code: "upstream_unavailable", notApplied: true },
  {
    pattern: /connection terminated due to connection timeout/i,
    code: "upstream_unavailable",
    notApplied: true,
  },
  { pattern: /query read timeout/i, code: "timeout", notApplied: false },
  {
    pattern: /connection terminated|not queryable|connection ended|client was closed/i,
    code: "network",
    notApplied: false,
  },
];

function positionDetails(
  error: PostgresErrorLike,
  context: PostgresErrorContext,
): { position?: number } | undefined {
  if (!error.position) return undefined;
  const raw = Number(error.position);
  if (!Number.isInteger(raw) || raw < 1) return undefined;
  const offset = context.positionOffset ?? 0;
  let position = raw - offset;
  if (position < 1) position = 1;
  if (context.statementLength !== undefined && position > context.statementLength + 1) {
    position = context.statementLength + 1;
  }
  return { position };
}

/** Classifies one PostgreSQL error (a SQLSTATE) into a ConnectorError. */
export function postgresError(error: PostgresErrorLike, context: PostgresErrorContext = {}): ConnectorError {
  const rule: Rule = BY_CODE[error.code] ??
    BY_CLASS[error.code.slice(0, 2)] ?? {
      code: "invalid_input",
      hint: "PostgreSQL refused the statement; see the message.",
    };
  const position = positionDetails(error, context);
  let message = `PostgreSQL: ${error.message} (SQLSTATE ${error.code})`;
  if (error.code === "57014" && context.statementTimeoutMs !== undefined) {
    message = `PostgreSQL cancelled the statement after its ${context.statementTimeoutMs} ms statement_timeout (SQLSTATE 57014).`;
  }
  if (position?.position !== undefined) message += ` at character ${position.position}`;
  const mapped = new ConnectorError({
    code: rule.code,
    message,
    ...(rule.retryable === undefined ? {} : { retryable: rule.retryable }),
    ...(rule.fault === undefined ? {} : { fault: rule.fault }),
    ...(rule.hint ? { hint: rule.hint } : {}),
    // A statement that failed inside a transaction we rolled back was not applied, whatever it was.
    notApplied: rule.notApplied === true || context.rolledBack === true,
    upstream: { code: error.code },
    details: {
      sqlstate: error.code,
      ...(position ?? {}),
      ...(error.detail ? { detail: error.detail.slice(0, 500) } : {}),
      ...(error.hint ? { serverHint: error.hint.slice(0, 300) } : {}),
      ...(error.schema ? { schema: error.schema } : {}),
      ...(error.table ? { table: error.table } : {}),
      ...(error.column ? { column: error.column } : {}),
      ...(error.constraint ? { constraint: error.constraint } : {}),
    },
    cause: error,
  });
  return context.outcomeUnknown ? withWriteOutcome(mapped, context) : mapped;
}

/**
 * The connector's error mapper: SQLSTATEs, pool timeouts and pg's code-less transport errors. Anything else
 * (core's own deadline errors, unknown failures) returns undefined so core classifies it.
 */
export function mapPostgresError(
  error: unknown,
  context: PostgresErrorContext = {},
): ConnectorError | undefined {
  if (ConnectorError.isInstance(error)) return error;
  if (isPostgresError(error)) return postgresError(error, context);
  if (error instanceof PoolTimeoutError) {
    return new ConnectorError({
      code: "upstream_unavailable",
      message: `No PostgreSQL connection became available within ${error.waitedMs} ms (${error.message}).`,
      hint: "The connection pool is busy or the server is slow to accept connections; try again shortly, or ask the operator to raise the pool size.",
      retryable: true,
      notApplied: true,
      cause: error,
    });
  }
  // Socket errors (ECONNRESET, EPIPE, ...) and pg's own: the connection died. A read is simply retried; a
  // write's outcome depends on whether its COMMIT was sent (the context says).
  const network = networkError(error);
  if (network) {
    const reason = (error as { message?: unknown }).message;
    const described =
      typeof reason === "string" && reason
        ? network.with({ message: `PostgreSQL connection failure: ${reason}.` })
        : network;
    return network.notApplied ? described : withWriteOutcome(described, context);
  }
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === "string") {
    for (const transport of TRANSPORT_MESSAGES) {
      if (!transport.pattern.test(message)) continue;
      const mapped = new ConnectorError({
        code: transport.code,
        message: `PostgreSQL connection failure: ${message}.`,
        notApplied: transport.notApplied,
        ...(transport.code === "timeout" ? { retryable: true } : {}),
        cause: error,
      });
      return transport.notApplied ? mapped : withWriteOutcome(mapped, context);
    }
  }
  return undefined;
}

/** `mapPostgresError` with no context, in core's ErrorMapper shape. */
export const postgresErrorMapper: ErrorMapper = (error) => mapPostgresError(error);
