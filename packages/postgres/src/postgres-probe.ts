import type { ConnectorProbe, DiagnosisProblem } from "@switchyard/core";
import type { PostgresClient } from "./postgres-client.js";
import type { PoolStats } from "./postgres-pool.js";

/** What doctor reports about the database, the role and the pool. */
export interface PostgresInspection {
  readonly user: string;
  readonly database: string;
  readonly serverVersion: string;
  /** The session's default (the connector starts sessions read-only when the read-only layer is on). */
  readonly sessionReadOnly: boolean;
  /** What the role itself defaults to, whatever the connector does (ALTER ROLE ... SET default_transaction_read_only). */
  readonly roleReadOnlyDefault: boolean;
  /** A hot standby: every transaction is read-only anyway. */
  readonly inRecovery: boolean;
  readonly superuser: boolean;
  /** The role may create objects in the current database's schemas it can see. */
  readonly canCreateInSchemas: readonly string[];
  readonly roleStatementTimeout: string | null;
  readonly pool: PoolStats;
}

interface InspectionRow extends Record<string, unknown> {
  user: string;
  database: string;
  version: string;
  session_read_only: string;
  in_recovery: boolean;
  superuser: boolean;
  role_config: string[] | null;
  create_schemas: string[] | null;
}

/** Reads identity, version and read-only status in one catalog transaction. */
export async function inspectPostgres(
  client: PostgresClient,
  scope: { signal?: AbortSignal; deadlineAt?: number } = {},
): Promise<PostgresInspection> {
  const [row] = await client.catalog(scope, (query) =>
    query<InspectionRow>(
      `SELECT current_user::text AS user, pg_catalog.current_database()::text AS database,
         pg_catalog.current_setting('server_version') AS version,
         pg_catalog.current_setting('default_transaction_read_only') AS session_read_only,
         pg_catalog.pg_is_in_recovery() AS in_recovery,
         r.rolsuper AS superuser,
         (SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s
           WHERE s.setrole = r.oid AND s.setdatabase = 0) AS role_config,
         ARRAY(SELECT n.nspname::text FROM pg_catalog.pg_namespace n
           WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
             AND pg_catalog.has_schema_privilege(n.oid, 'CREATE') ORDER BY 1) AS create_schemas
       FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`,
    ),
  );
  if (!row) throw new Error("the inspection query returned no row");
  const roleConfig = row.role_config ?? [];
  const setting = (name: string) =>
    roleConfig.find((entry) => entry.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1) ?? null;
  return {
    user: row.user,
    database: row.database,
    serverVersion: row.version,
    sessionReadOnly: row.session_read_only === "on",
    roleReadOnlyDefault: setting("default_transaction_read_only") === "on",
    inRecovery: row.in_recovery,
    superuser: row.superuser,
    canCreateInSchemas: row.create_schemas ?? [],
    roleStatementTimeout: setting("statement_timeout"),
    pool: client.stats(),
  };
}

/**
 * `switchyard doctor`: identity `user@database`, and as scopes the facts an operator checks (server version,
 * read-only status, pool load). Problems name what the least-privilege setup would fix.
 */
export const postgresProbe: ConnectorProbe<PostgresClient> = async ({ client, signal }) => {
  const inspection = await inspectPostgres(client, { signal });
  const problems: DiagnosisProblem[] = [];
  if (inspection.superuser) {
    problems.push({
      message: `The connector logs in as ${inspection.user}, a superuser: every read-only layer then stands without the database's own privileges behind it.`,
      fix: "Log in as a least-privilege role (see sql/least-privilege.sql in @switchyard/postgres).",
    });
  }
  if (!inspection.roleReadOnlyDefault && !inspection.inRecovery) {
    problems.push({
      message: `The role ${inspection.user} does not default to read-only transactions.`,
      fix: `ALTER ROLE ${inspection.user} SET default_transaction_read_only = on (sql/least-privilege.sql does this).`,
    });
  }
  if (inspection.canCreateInSchemas.length > 0) {
    problems.push({
      message: `The role may create objects in schema(s) ${inspection.canCreateInSchemas.join(", ")}.`,
      fix: "REVOKE CREATE ON SCHEMA ... FROM the role (and from PUBLIC).",
    });
  }
  const pool = inspection.pool;
  return {
    identity: `${inspection.user}@${inspection.database}`,
    scopes: [
      `server: PostgreSQL ${inspection.serverVersion}`,
      `read-only: session ${inspection.sessionReadOnly ? "on" : "off"}, role default ${
        inspection.roleReadOnlyDefault ? "on" : "off"
      }${inspection.inRecovery ? ", standby" : ""}`,
      `pool: ${pool.total}/${pool.max} connections, ${pool.idle} idle, ${pool.waiting} waiting`,
    ],
    problems,
  };
};
