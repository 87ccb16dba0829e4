import { createHash } from "node:crypto";
import { type AuditRecord, redactValue } from "@switchyard/core";

/** Columns written per record, in parameter order. */
export const INSERT_COLUMNS = [
  "id",
  "at",
  "tenant",
  "connector",
  "tool",
  "input",
  "outcome",
  "error_message",
  "attempts",
  "request_ids",
  "duration_ms",
  "approval",
] as const;

/** Casts per column, so every parameter has an explicit type whatever the batch looks like. */
export const INSERT_CASTS: Readonly<Record<(typeof INSERT_COLUMNS)[number], string>> = {
  id: "uuid",
  at: "timestamptz",
  tenant: "text",
  connector: "text",
  tool: "text",
  input: "jsonb",
  outcome: "text",
  error_message: "text",
  attempts: "integer",
  request_ids: "text[]",
  duration_ms: "integer",
  approval: "jsonb",
};

/** The select list that reads a row back as a record (timestamps formatted in SQL: no type parser involved). */
export const SELECT_COLUMNS = `id::text AS id,
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  tenant, connector, tool, input, outcome, error_message, attempts, request_ids, duration_ms, approval`;

export interface AuditRow {
  readonly id: string;
  readonly at: string;
  readonly tenant: string;
  readonly connector: string;
  readonly tool: string;
  readonly input: unknown;
  readonly outcome: string;
  readonly error_message: string | null;
  readonly attempts: number;
  readonly request_ids: string[] | null;
  readonly duration_ms: number;
  readonly approval: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT_MAX = 2_147_483_647;

/**
 * Core gives every call a random UUID. An id that is not one would fail the whole batch forever (the trail
 * retries it), so it is mapped to a UUID derived from it: the same id always gives the same UUID, and a
 * retried batch still does not duplicate.
 */
export function rowId(id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const hex = createHash("sha256").update(`switchyard-audit:${id}`).digest("hex");
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** PostgreSQL text refuses NUL; jsonb refuses NUL and unpaired surrogates. Both become U+FFFD. */
function cleanText(value: string): string {
  return value.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what PostgreSQL refuses.
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
}

function cleanJson(value: unknown, depth: number): unknown {
  if (typeof value === "string") return cleanText(value);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object" || depth > 64) return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === "function") return cleanJson(json.call(value), depth + 1);
  if (Array.isArray(value)) return value.map((item) => cleanJson(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[cleanText(key)] = cleanJson(item, depth + 1);
  return out;
}

/** JSON text PostgreSQL accepts as jsonb, or null. Records are already redacted, so never cyclic in practice. */
export function toJsonb(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(cleanJson(value, 0)) ?? null;
  } catch {
    return JSON.stringify({ unserializable: cleanText(String(value)).slice(0, 1000) });
  }
}

function toInt(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.max(-INT_MAX, Math.min(INT_MAX, Math.round(value)));
}

function toTimestamp(at: string): string {
  const parsed = Date.parse(at);
  // A record without a usable time still gets stored (now) rather than blocking the batch forever.
  return Number.isNaN(parsed) ? new Date().toISOString() : new Date(parsed).toISOString();
}

/**
 * The parameters of one record, in INSERT_COLUMNS order. Core redacts what it records, but the sink redacts the
 * whole record again before it reaches the database: a value a person typed (an approval reason) or a record
 * built elsewhere must not put a registered secret or a token into an append-only table.
 */
export function recordParams(original: AuditRecord): unknown[] {
  // JSON-safe first (toJSON, bigint, NUL), so redaction copies plain data.
  const record = redactValue({
    ...original,
    input: cleanJson(original.input, 0),
    approval: cleanJson(original.approval, 0),
  });
  return [
    rowId(String(record.id)),
    toTimestamp(record.at),
    cleanText(String(record.tenant)),
    cleanText(String(record.connector)),
    cleanText(String(record.tool)),
    toJsonb(record.input),
    cleanText(String(record.outcome)),
    record.errorMessage === undefined || record.errorMessage === null
      ? null
      : cleanText(String(record.errorMessage)),
    toInt(record.attempts),
    (record.requestIds ?? []).map((requestId) => cleanText(String(requestId))),
    toInt(record.durationMs),
    toJsonb(record.approval),
  ];
}

export function rowToRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    tenant: row.tenant,
    connector: row.connector,
    tool: row.tool,
    input: row.input,
    outcome: row.outcome as AuditRecord["outcome"],
    ...(row.error_message === null ? {} : { errorMessage: row.error_message }),
    attempts: row.attempts,
    requestIds: row.request_ids ?? [],
    durationMs: row.duration_ms,
    ...(row.approval === null || row.approval === undefined
      ? {}
      : { approval: row.approval as NonNullable<AuditRecord["approval"]> }),
  };
}
