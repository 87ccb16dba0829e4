import type { Recording } from "../recording/recorder.js";
import type { WireEndpoint, WireSchemaSource } from "./wire-schemas.js";

/**
 * Validates recorded upstream answers against the connectors' wire schemas. Every finding names the
 * upstream, the tool whose scenario recorded the answer, the endpoint, the schema and, for a mismatch, the
 * field (`items[3].user.login`), so "GitHub renamed a field" reads as "github_list_issues breaks on
 * `[0].user.login`: expected string, received undefined".
 */

export type FindingKind =
  /** The recorded body does not satisfy the wire schema. */
  | "mismatch"
  /** The package does not export the schema (or cannot be loaded): nothing was validated. */
  | "unavailable"
  /** No row of the table covers the recorded endpoint: extend wire-schemas.ts. */
  | "unmapped";

export interface DriftFinding {
  readonly kind: FindingKind;
  readonly upstream: string;
  readonly tool: string | undefined;
  readonly endpoint: string;
  readonly schema: string | undefined;
  /** Dotted path of the offending field; `(root)` for the body itself. */
  readonly field: string | undefined;
  readonly message: string;
  readonly file: string | undefined;
}

export interface ValidationSummary {
  readonly upstream: string;
  readonly recordings: number;
  readonly validated: number;
  readonly findings: readonly DriftFinding[];
}

interface SafeParser {
  safeParse(value: unknown): {
    success: boolean;
    error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
  };
}

const isSchema = (value: unknown): value is SafeParser =>
  typeof value === "object" && value !== null && typeof (value as SafeParser).safeParse === "function";

/** `GET /repos/{owner}/{repo}` → a matcher for `GET` and `/repos/acme/api` (query ignored). */
export function endpointMatcher(endpoint: string): (method: string, path: string) => boolean {
  const [method = "", template = ""] = endpoint.split(" ");
  const source = template
    .split("/")
    .map((segment) => {
      if (/^\{\+\w+\}$/.test(segment)) return ".+";
      if (/^\{\w+\}$/.test(segment)) return "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const pattern = new RegExp(`^${source}$`);
  return (actualMethod, path) =>
    (method === "*" || method === actualMethod.toUpperCase()) && pattern.test(path.split("?")[0] ?? "");
}

/** The row that reads this recording, if any. */
export function findEndpoint(source: WireSchemaSource, recording: Recording): WireEndpoint | undefined {
  const { method, path } = recording.request;
  const { status, body } = recording.response;
  return source.endpoints.find(
    (row) =>
      endpointMatcher(row.endpoint)(method, path) &&
      (row.status === undefined ? status >= 200 && status < 300 : row.status === status) &&
      (row.bodyMatches === undefined || row.bodyMatches(body)),
  );
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

/** Looks a schema up by export name, or inside an exported `wireSchemas` object. */
export function resolveSchema(exports: Record<string, unknown>, name: string): SafeParser | undefined {
  const direct = exports[name];
  if (isSchema(direct)) return direct;
  const namespace = exports.wireSchemas as Record<string, unknown> | undefined;
  const nested = namespace?.[name];
  return isSchema(nested) ? nested : undefined;
}

/** Validates every recording of one upstream; never throws (a broken package is a finding). */
export async function validateRecordings(
  source: WireSchemaSource,
  recordings: readonly { readonly file?: string; readonly recording: Recording }[],
): Promise<ValidationSummary> {
  const mine = recordings.filter((entry) => entry.recording.upstream === source.upstream);
  const findings: DriftFinding[] = [];
  let exports: Record<string, unknown> | undefined;
  let loadError: string | undefined;
  try {
    exports = await source.load();
  } catch (error) {
    loadError = `${source.packageName} could not be loaded: ${String(error)}`;
  }
  const reportedUnavailable = new Set<string>();
  let validated = 0;
  for (const { file, recording } of mine) {
    const row = findEndpoint(source, recording);
    const endpoint = `${recording.request.method} ${recording.request.path.split("?")[0]}`;
    if (!row) {
      findings.push({
        kind: "unmapped",
        upstream: source.upstream,
        tool: recording.tool,
        endpoint,
        schema: undefined,
        field: undefined,
        message: `No wire schema row covers ${endpoint} (HTTP ${recording.response.status}); add one to src/drift/wire-schemas.ts.`,
        file,
      });
      continue;
    }
    const schema = exports ? resolveSchema(exports, row.schema) : undefined;
    if (!schema) {
      if (!reportedUnavailable.has(row.schema)) {
        reportedUnavailable.add(row.schema);
        findings.push({
          kind: "unavailable",
          upstream: source.upstream,
          tool: recording.tool,
          endpoint: row.endpoint,
          schema: row.schema,
          field: undefined,
          message:
            loadError ??
            `${source.packageName} does not export \`${row.schema}\` (or \`wireSchemas.${row.schema}\`): recordings of ${row.endpoint} cannot be validated.`,
          file,
        });
      }
      continue;
    }
    validated += 1;
    const parsed = schema.safeParse(recording.response.body);
    if (parsed.success) continue;
    for (const issue of parsed.error?.issues ?? []) {
      findings.push({
        kind: "mismatch",
        upstream: source.upstream,
        tool: recording.tool,
        endpoint: row.endpoint,
        schema: row.schema,
        field: fieldPath(issue.path),
        message: `${recording.tool} reads ${row.endpoint} with ${row.schema}: \`${fieldPath(issue.path)}\` ${issue.message}`,
        file,
      });
    }
  }
  return { upstream: source.upstream, recordings: mine.length, validated, findings };
}

/** Markdown section for the health report. */
export function driftMarkdown(summaries: readonly ValidationSummary[]): string {
  const lines = ["## Recorded responses vs wire schemas", ""];
  if (summaries.every((summary) => summary.recordings === 0)) {
    lines.push("No recordings (record them with `CONTRACT_TARGET=live CONTRACT_RECORD=1`).", "");
  }
  lines.push(
    "| upstream | recordings | validated | mismatches | unavailable | unmapped |",
    "| --- | --- | --- | --- | --- | --- |",
  );
  for (const summary of summaries) {
    const count = (kind: FindingKind) => summary.findings.filter((finding) => finding.kind === kind).length;
    lines.push(
      `| ${summary.upstream} | ${summary.recordings} | ${summary.validated} | ${count("mismatch")} | ${count("unavailable")} | ${count("unmapped")} |`,
    );
  }
  const findings = summaries.flatMap((summary) => summary.findings);
  if (findings.length > 0) {
    lines.push(
      "",
      "| kind | upstream | tool | endpoint | field | message |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const finding of findings) {
      lines.push(
        `| ${finding.kind} | ${finding.upstream} | ${finding.tool ?? "–"} | \`${finding.endpoint}\` | ${finding.field ? `\`${finding.field}\`` : "–"} | ${finding.message.replaceAll("|", "\\|")} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

export interface SchemaExports {
  readonly upstream: string;
  readonly packageName: string;
  /** Distinct schema names the table uses. */
  readonly schemas: number;
  readonly exported: number;
  readonly missing: readonly string[];
  readonly loadError?: string;
}

/** Which of a source's schemas the package exports today (the report shows it even without recordings). */
export async function schemaExports(source: WireSchemaSource): Promise<SchemaExports> {
  const names = [...new Set(source.endpoints.map((row) => row.schema))].sort();
  let exports: Record<string, unknown> = {};
  let loadError: string | undefined;
  try {
    exports = await source.load();
  } catch (error) {
    loadError = String(error);
  }
  const missing = names.filter((name) => !resolveSchema(exports, name));
  return {
    upstream: source.upstream,
    packageName: source.packageName,
    schemas: names.length,
    exported: names.length - missing.length,
    missing,
    ...(loadError ? { loadError } : {}),
  };
}
