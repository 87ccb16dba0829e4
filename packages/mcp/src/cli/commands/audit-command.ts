import { type AuditFilter, type AuditRecord, parseSince, queryJsonLinesAudit } from "@switchyard/core";
import { auditTargetFrom } from "../../config/audit-from-config.js";
import type { SwitchyardConfig } from "../../config/switchyard-config.js";
import { type CliIo, UsageError } from "../cli-io.js";
import { renderTable } from "../render-table.js";

export interface AuditCommandOptions {
  readonly action: string | undefined;
  readonly file: string | undefined;
  readonly databaseUrl?: string | undefined;
  readonly filter: AuditFilter;
  readonly follow: boolean;
  readonly json: boolean;
  readonly signal?: AbortSignal;
}

function render(io: CliIo, records: readonly AuditRecord[], json: boolean): void {
  if (json) {
    for (const record of records) io.out(JSON.stringify(record));
    return;
  }
  io.out(
    renderTable(
      ["at", "tenant", "tool", "outcome", "attempts", "ms", "approval", "request ids"],
      records.map((record) => [
        record.at,
        record.tenant,
        record.tool,
        record.outcome,
        String(record.attempts),
        String(record.durationMs),
        record.approval && record.approval.decision !== "not_required"
          ? `${record.approval.decision}${record.approval.by ? ` by ${record.approval.by}` : ""}`
          : "-",
        record.requestIds.join(" ") || "-",
      ]),
    ),
  );
}

export async function auditCommand(
  io: CliIo,
  config: SwitchyardConfig,
  options: AuditCommandOptions,
): Promise<number> {
  if (options.action !== "tail" && options.action !== "query")
    throw new UsageError("Use `audit tail` or `audit query`.");
  const target = auditTargetFrom(config, io.env, { file: options.file, databaseUrl: options.databaseUrl });
  if (!target) {
    throw new UsageError(
      "No audit trail configured: pass --file or --database-url, set audit.file / audit.databaseUrl, or SWITCHYARD_AUDIT_FILE / SWITCHYARD_AUDIT_DATABASE_URL.",
    );
  }
  const filter: AuditFilter = {
    ...options.filter,
    limit: options.filter.limit ?? (options.action === "tail" ? 20 : 100),
  };
  const signal = options.signal ?? stopSignal();
  if (target.kind === "postgres") {
    const [{ queryPostgresAudit, tailPostgresAudit }, { default: pg }] = await Promise.all([
      import("@switchyard/audit-postgres"),
      import("pg"),
    ]);
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 1, connectionTimeoutMillis: 5000 });
    pool.on("error", () => {});
    try {
      render(io, await queryPostgresAudit(pool, filter), options.json);
      if (options.action === "tail" && options.follow) {
        for await (const record of tailPostgresAudit(pool, { signal, filter }))
          io.out(line(record, options.json));
      }
    } finally {
      await pool.end();
    }
    return 0;
  }
  const records = await queryJsonLinesAudit(target.path, filter).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  render(io, records, options.json);
  if (options.action !== "tail" || !options.follow) return 0;
  // --follow on a file: poll for records newer than the last one shown, until interrupted.
  const seen = new Set(records.map((record) => record.id));
  let since = records.at(-1)?.at;
  while (!signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const fresh = (
      await queryJsonLinesAudit(target.path, {
        ...filter,
        ...(since ? { since: new Date(since) } : {}),
        limit: 1000,
      }).catch(() => [])
    ).filter((record) => !seen.has(record.id));
    for (const record of fresh) seen.add(record.id);
    since = fresh.at(-1)?.at ?? since;
    for (const record of fresh) io.out(line(record, options.json));
  }
  return 0;
}

function line(record: AuditRecord, json: boolean): string {
  return json
    ? JSON.stringify(record)
    : `${record.at}  ${record.tenant}  ${record.tool}  ${record.outcome}  ${record.durationMs}ms`;
}

/** Ctrl-C ends --follow cleanly. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  process.once("SIGTERM", () => controller.abort());
  return controller.signal;
}

export function auditFilterFrom(values: {
  tool?: string | undefined;
  since?: string | undefined;
  tenant?: string | undefined;
  outcome?: string | undefined;
  limit?: string | undefined;
}): AuditFilter {
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    throw new UsageError("--limit takes a positive whole number.");
  let since: Date | undefined;
  try {
    since = values.since ? parseSince(values.since) : undefined;
  } catch (error) {
    throw new UsageError(`--since: ${(error as Error).message}`);
  }
  return { tool: values.tool, tenant: values.tenant, outcome: values.outcome, since, limit };
}
