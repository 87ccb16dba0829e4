/**
 * Published (and derived) ways to write through "read-only" PostgreSQL tools of other MCP servers and agent
 * integrations. `{t}` is the attacked table, `{s}` its schema. Sources:
 *
 * - mcp-servers-1889: modelcontextprotocol/servers PR #1889, the reference postgres server's
 *   `COMMIT; DROP TABLE` / `END` bypass of its BEGIN READ ONLY (reported by Datadog Security Labs), fixed
 *   by sending a parameterised (extended-protocol) query; issue #866 raised the risk first.
 * - pgedge-196: pgEdge/pgedge-postgres-mcp PR #196: simple query protocol, leading comments, `READ WRITE`,
 *   committing the server's own transaction.
 * - posthog-63178: PostHog/posthog PR #63178: `COMMIT; BEGIN READ WRITE`, flipping default_transaction_read_only.
 * - cte-dml: bytebase/dbhub #271, srthkdev/omnisql-mcp #19, perrypixel/Easy-Postgres-MCP #3,
 *   hannesrudolph/sqlite-explorer-fastmcp-mcp-server #8: data-modifying CTEs under a WITH prefix.
 * - laravel-boost-892: laravel/boost #892: CTE-internal DML, EXPLAIN ANALYZE of DML, SELECT ... INTO.
 * - tabularis-456: TabularisDB/tabularis PR #456: EXPLAIN ANALYZE / EXPLAIN (ANALYZE, ...) executes DML.
 * - pg-mcp-server-3: ericzakariasson/pg-mcp-server #3: leading SQL comments hide the first keyword.
 * - cubrid-40: cubrid-lab/cubrid-mcp-server #40: FOR UPDATE locks, LOCK.
 * - awslabs-4575: awslabs/mcp PR #4575 review: side-effecting functions a READ ONLY transaction allows
 *   (pg_stat_reset, pg_logical_emit_message, nextval, pg_switch_wal, pg_create_restore_point, replication
 *   slots, lo_put, lo_from_bytea, ...); awslabs/mcp PR #374: crafted writes through readonly mode.
 * - mcpso-3579: chatmcp/mcpso #3579: pg_import_system_collations() writes inside SET TRANSACTION READ ONLY.
 * - strix-845: usestrix/strix #845: pg_read_file, dblink, COMMIT; DROP against read-only SQL guards.
 * - ghsa-65hm: executeautomation/mcp-database-server #33 (GHSA-65hm-pwj5-73pw): startsWith("SELECT") plus
 *   a second statement; donghao1393/mcp-dbutils #116: the same class in another server.
 * - supabase-212: supabase/mcp #212: writes through execute_sql with read_only set.
 * - derived: the rest of PostgreSQL's surface (DO, CALL, COPY ... PROGRAM, PREPARE/EXECUTE, DECLARE ... WITH
 *   HOLD, SET ROLE, SET SESSION AUTHORIZATION, LISTEN/NOTIFY, advisory locks, pg_sleep, quoting and unicode
 *   escapes, attribute-notation calls, VOLATILE functions that write), each checked against PostgreSQL 15.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
/** Files the COPY bypasses would create on the server's machine if they got through (the OS temp folder). */
export const BYPASS_PROGRAM_MARKER = join(tmpdir(), "sy_pg_bypass_program");
export const BYPASS_COPY_MARKER = join(tmpdir(), "sy_pg_bypass_copy");

export interface BypassAttempt {
  readonly sql: string;
  readonly source: string;
}

export const BYPASS_CORPUS: readonly BypassAttempt[] = [
  // Ending the read-only transaction from inside the statement string.
  { sql: "SELECT 1; COMMIT; DROP TABLE {t}", source: "mcp-servers-1889" },
  { sql: "COMMIT; DROP TABLE {t}", source: "mcp-servers-1889" },
  { sql: "END; DELETE FROM {t}", source: "mcp-servers-1889" },
  { sql: "SELECT 1; END; DELETE FROM {t}; BEGIN", source: "mcp-servers-1889" },
  { sql: "ROLLBACK; DELETE FROM {t}", source: "mcp-servers-1889" },
  { sql: "COMMIT", source: "mcp-servers-1889" },
  { sql: "/* just a comment */ COMMIT; BEGIN READ WRITE; DELETE FROM {t}; COMMIT", source: "pgedge-196" },
  { sql: "-- SELECT\nDELETE FROM {t}", source: "pgedge-196" },
  {
    sql: "COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; DELETE FROM {t}",
    source: "pgedge-196",
  },
  { sql: "SET TRANSACTION READ WRITE; DELETE FROM {t}", source: "pgedge-196" },
  { sql: "SET transaction_read_only = off; DELETE FROM {t}", source: "pgedge-196" },
  { sql: "SET default_transaction_read_only = off", source: "posthog-63178" },
  {
    sql: "COMMIT; SET default_transaction_read_only = off; BEGIN; DELETE FROM {t}; COMMIT",
    source: "posthog-63178",
  },
  { sql: "COMMIT; BEGIN READ WRITE; UPDATE {t} SET balance = 0; COMMIT", source: "posthog-63178" },
  { sql: "SELECT set_config('default_transaction_read_only', 'off', false)", source: "posthog-63178" },
  {
    sql: "SELECT set_config('transaction_read_only', 'off', true); DELETE FROM {t}",
    source: "posthog-63178",
  },
  { sql: "SELECT \"pg_catalog\".\"set_config\"('statement_timeout', '0', false)", source: "derived" },
  // Data-modifying CTEs and statements behind a read-looking prefix.
  { sql: "WITH d AS (DELETE FROM {t} RETURNING *) SELECT * FROM d", source: "cte-dml" },
  { sql: "WITH u AS (UPDATE {t} SET balance = 0 RETURNING 1) SELECT count(*) FROM u", source: "cte-dml" },
  { sql: "WITH i AS (INSERT INTO {t} VALUES (1000, 'x', 1) RETURNING 1) SELECT 1", source: "cte-dml" },
  { sql: "WITH x AS (SELECT 1) UPDATE {t} SET balance = 0", source: "cte-dml" },
  { sql: "WITH x AS (SELECT 1) DELETE FROM {t}", source: "cte-dml" },
  {
    sql: "SELECT * FROM (WITH d AS (DELETE FROM {t} RETURNING *) SELECT * FROM d) q",
    source: "laravel-boost-892",
  },
  { sql: "EXPLAIN ANALYZE DELETE FROM {t}", source: "laravel-boost-892" },
  { sql: "EXPLAIN (ANALYZE, BUFFERS) UPDATE {t} SET balance = 0", source: "tabularis-456" },
  {
    sql: "EXPLAIN (ANALYZE true, FORMAT JSON) INSERT INTO {t} VALUES (1001, 'x', 1)",
    source: "tabularis-456",
  },
  { sql: "SELECT * INTO {s}.evil_copy FROM {t}", source: "laravel-boost-892" },
  { sql: "CREATE TABLE {s}.evil_table AS SELECT * FROM {t}", source: "laravel-boost-892" },
  { sql: "/* SELECT */ DELETE FROM {t}", source: "pg-mcp-server-3" },
  { sql: "  \n\t-- read only\n  UPDATE {t} SET balance = 0", source: "pg-mcp-server-3" },
  { sql: "SELECT 1 FROM {t} WHERE id = 1; DROP TABLE {t}", source: "ghsa-65hm" },
  { sql: "SELECT id FROM {t}; UPDATE {t} SET balance = 0", source: "ghsa-65hm" },
  { sql: "(SELECT 1); DELETE FROM {t}", source: "ghsa-65hm" },
  { sql: "TABLE {t}; DELETE FROM {t}", source: "ghsa-65hm" },
  { sql: "VALUES (1); COMMIT; DELETE FROM {t}", source: "ghsa-65hm" },
  { sql: "DELETE FROM {t} WHERE id > 0", source: "supabase-212" },
  { sql: "INSERT INTO {t} VALUES (1002, 'x', 1)", source: "supabase-212" },
  {
    sql: "MERGE INTO {t} a USING (SELECT 1 AS id) s ON a.id = s.id WHEN MATCHED THEN DELETE",
    source: "awslabs-4575",
  },
  // Locks.
  { sql: "SELECT * FROM {t} FOR UPDATE", source: "cubrid-40" },
  { sql: "SELECT * FROM {t} FOR SHARE NOWAIT", source: "cubrid-40" },
  { sql: "SELECT * FROM {t} FOR NO KEY UPDATE SKIP LOCKED", source: "cubrid-40" },
  { sql: "LOCK TABLE {t} IN ACCESS EXCLUSIVE MODE", source: "cubrid-40" },
  { sql: "SELECT pg_advisory_lock(1)", source: "derived" },
  { sql: "SELECT pg_try_advisory_lock(2)", source: "derived" },
  // Functions with side effects that a READ ONLY transaction lets through, or that reach the server's files.
  { sql: "SELECT pg_stat_reset()", source: "awslabs-4575" },
  { sql: "SELECT pg_logical_emit_message(true, 'evil', 'x')", source: "awslabs-4575" },
  { sql: "SELECT nextval('{s}.counter')", source: "awslabs-4575" },
  { sql: "SELECT setval('{s}.counter', 99)", source: "awslabs-4575" },
  { sql: "SELECT pg_switch_wal()", source: "awslabs-4575" },
  { sql: "SELECT pg_create_restore_point('evil')", source: "awslabs-4575" },
  { sql: "SELECT pg_create_physical_replication_slot('evil_slot')", source: "awslabs-4575" },
  { sql: "SELECT lo_from_bytea(0, 'evil')", source: "awslabs-4575" },
  { sql: "SELECT lo_put(1, 0, 'x')", source: "awslabs-4575" },
  { sql: "SELECT pg_import_system_collations('{s}')", source: "mcpso-3579" },
  { sql: "SELECT pg_read_file('/etc/passwd')", source: "strix-845" },
  { sql: "SELECT pg_read_binary_file('PG_VERSION')", source: "strix-845" },
  { sql: "SELECT * FROM pg_ls_dir('.')", source: "strix-845" },
  { sql: "SELECT lo_import('/etc/passwd')", source: "strix-845" },
  { sql: "SELECT * FROM dblink('dbname=postgres', 'DROP TABLE x') AS r(a text)", source: "strix-845" },
  { sql: "SELECT query_to_xml('DELETE FROM {t} RETURNING 1', true, true, '')", source: "derived" },
  { sql: "SELECT pg_terminate_backend(pg_backend_pid())", source: "derived" },
  { sql: "SELECT pg_reload_conf()", source: "derived" },
  { sql: "SELECT txid_current()", source: "derived" },
  { sql: "SELECT pg_notify('evil', 'x')", source: "derived" },
  { sql: "SELECT pg_sleep(600)", source: "derived" },
  { sql: "SELECT pg_sleep_for('10 minutes')", source: "derived" },
  // The same calls in disguise.
  { sql: "SELECT U&\"\\0070g_read_file\"('/etc/passwd')", source: "derived" },
  { sql: "SELECT ('/etc/passwd'::text).pg_read_file", source: "derived" },
  { sql: 'SELECT "PG_CATALOG"."NEXTVAL"(\'{s}.counter\')', source: "derived" },
  { sql: "SELECT PG_CATALOG.SET_CONFIG('default_transaction_read_only', 'off', false)", source: "derived" },
  { sql: "SELECT $$; DELETE FROM {t}; $$ AS x; DELETE FROM {t}", source: "derived" },
  { sql: "SELECT 'x'; DELETE FROM {t} --'", source: "derived" },
  { sql: "SELECT 1 /* ; */ ; DELETE FROM {t}", source: "derived" },
  // VOLATILE functions that write, reached from a plain SELECT.
  { sql: "SELECT {s}.sneaky_write()", source: "derived" },
  { sql: "SELECT * FROM {t} WHERE id = (SELECT {s}.sneaky_write())", source: "derived" },
  { sql: "EXPLAIN ANALYZE SELECT {s}.sneaky_write()", source: "derived" },
  // Statements that are not reads at all.
  { sql: "DO $$ BEGIN DELETE FROM {t}; END $$", source: "derived" },
  { sql: "CALL {s}.sneaky_proc()", source: "derived" },
  { sql: `COPY {t} TO PROGRAM 'touch ${BYPASS_PROGRAM_MARKER}'`, source: "derived" },
  { sql: `COPY {t} TO '${BYPASS_COPY_MARKER}'`, source: "derived" },
  { sql: "COPY {t} FROM '/etc/hostname'", source: "derived" },
  { sql: "PREPARE evil AS DELETE FROM {t}", source: "derived" },
  { sql: "EXECUTE evil", source: "derived" },
  { sql: "DECLARE evil CURSOR WITH HOLD FOR SELECT * FROM {t}", source: "derived" },
  { sql: "SET ROLE postgres", source: "derived" },
  { sql: "SET SESSION AUTHORIZATION postgres", source: "derived" },
  { sql: "RESET ALL", source: "derived" },
  { sql: "LISTEN evil", source: "derived" },
  { sql: "NOTIFY evil, 'x'", source: "derived" },
  { sql: "PREPARE TRANSACTION 'evil'", source: "derived" },
  { sql: "SAVEPOINT s; ROLLBACK TO s; DELETE FROM {t}", source: "derived" },
  { sql: "TRUNCATE {t}", source: "derived" },
  { sql: "DROP TABLE {t}", source: "derived" },
  { sql: "ALTER TABLE {t} ADD COLUMN evil int", source: "derived" },
  { sql: "GRANT ALL ON {t} TO PUBLIC", source: "derived" },
  { sql: "CREATE ROLE evil_role SUPERUSER", source: "derived" },
  { sql: "ALTER ROLE CURRENT_USER SET default_transaction_read_only = off", source: "derived" },
  { sql: "CREATE FUNCTION {s}.evil_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'", source: "derived" },
  { sql: "CREATE EXTENSION IF NOT EXISTS dblink", source: "derived" },
  { sql: "CREATE SCHEMA evil_schema", source: "derived" },
  { sql: "VACUUM {t}", source: "derived" },
  { sql: "ANALYZE {t}", source: "derived" },
  { sql: "CHECKPOINT", source: "derived" },
  { sql: "DISCARD ALL", source: "derived" },
];

export function attemptSql(attempt: BypassAttempt, schema: string, table: string): string {
  return attempt.sql.replaceAll("{t}", `${schema}.${table}`).replaceAll("{s}", schema);
}
