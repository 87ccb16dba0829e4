import { type AuditSink, AuditTrail, jsonLinesAuditSink } from "@switchyard/core";
import type { SwitchyardConfig } from "./switchyard-config.js";

/** Where the audit trail goes: a JSON-lines file, or a PostgreSQL table. */
export type AuditTarget =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "postgres"; readonly databaseUrl: string };

/** `audit.databaseUrl` / SWITCHYARD_AUDIT_DATABASE_URL wins over `audit.file` / SWITCHYARD_AUDIT_FILE. */
export function auditTargetFrom(
  config: SwitchyardConfig,
  env: NodeJS.ProcessEnv,
  overrides: { file?: string | undefined; databaseUrl?: string | undefined } = {},
): AuditTarget | undefined {
  const databaseUrl =
    overrides.databaseUrl ?? config.audit?.databaseUrl ?? (env.SWITCHYARD_AUDIT_DATABASE_URL || undefined);
  if (databaseUrl && !overrides.file) return { kind: "postgres", databaseUrl };
  const path = overrides.file ?? config.audit?.file ?? (env.SWITCHYARD_AUDIT_FILE || undefined);
  return path ? { kind: "file", path } : undefined;
}

/**
 * The audit trail the CLI's connectors share, or undefined when none is configured. For PostgreSQL the
 * migration the audit package ships is applied first (idempotent, safe with several processes).
 */
export async function auditTrailFrom(
  config: SwitchyardConfig,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<AuditTrail | undefined> {
  const target = auditTargetFrom(config, env);
  if (!target) return undefined;
  let sink: AuditSink;
  if (target.kind === "postgres") {
    // Only now: the PostgreSQL sink brings `pg`, which nothing else on a plain `serve` needs.
    const { migrateAuditLog, postgresAuditSink } = await import("@switchyard/audit-postgres");
    const postgres = postgresAuditSink({ connectionString: target.databaseUrl });
    await migrateAuditLog(postgres.pool);
    sink = postgres;
  } else {
    sink = jsonLinesAuditSink({ path: target.path });
  }
  return new AuditTrail({
    sink,
    onSinkStatus: (status) =>
      log(
        status.healthy
          ? `audit: sink recovered, ${status.buffered} record(s) still buffered`
          : `audit: sink failing (${status.error}); records are buffered until it recovers`,
      ),
  });
}
