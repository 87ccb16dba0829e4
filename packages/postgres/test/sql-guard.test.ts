import { ConnectorError } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import {
  deniedFunctionReason,
  describeWriteSync,
  ensureParser,
  findDeniedCalls,
  guardExplain,
  guardRead,
  guardWrite,
  parseStatements,
} from "../src/index.js";
import { wrapForExplain, wrapForPage } from "../src/read-only/sql-guard.js";

const options = { functionDenyList: true, maxSleepSeconds: 5, allowExplain: true };

async function refusal(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(ConnectorError.isInstance(error)).toBe(true);
    return error as ConnectorError;
  }
  throw new Error("expected a refusal");
}

describe("sql guard (layer 3): the PostgreSQL parser decides what a statement is", () => {
  it.each([
    "SELECT 1",
    "select * from t where a = $1 order by id",
    "VALUES (1, 'a'), (2, 'b')",
    "TABLE public.t",
    "WITH x AS (SELECT 1 AS a) SELECT a FROM x",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r",
    "SELECT 1 UNION SELECT 2 ORDER BY 1",
    "  /* leading comment */ SELECT 1 -- trailing comment",
    "SELECT 1;",
    "EXPLAIN SELECT 1",
    "EXPLAIN ANALYZE SELECT 1",
    "SELECT pg_sleep(1)",
    "SELECT 'COMMIT; DROP TABLE t' AS text",
    "SELECT $$; DELETE FROM t; $$",
  ])("allows %s", async (sql) => {
    await expect(guardRead(sql, options)).resolves.toBeDefined();
  });

  it.each([
    ["INSERT INTO t VALUES (1)", "INSERT"],
    ["UPDATE t SET a = 1", "UPDATE"],
    ["DELETE FROM t", "DELETE"],
    ["MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", "MERGE"],
    ["WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "DELETE"],
    ["WITH x AS (SELECT 1) UPDATE t SET a = 1", "UPDATE"],
    ["SELECT * INTO evil FROM t", "INTO"],
    ["SELECT * FROM t FOR UPDATE", "FOR UPDATE"],
    ["SELECT * FROM t FOR SHARE", "FOR UPDATE"],
    ["SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED", "FOR UPDATE"],
    ["COMMIT", "transaction control"],
    ["BEGIN", "transaction control"],
    ["ROLLBACK", "transaction control"],
    ["SAVEPOINT s", "transaction control"],
    ["PREPARE TRANSACTION 'x'", "transaction control"],
    ["END", "transaction control"],
    ["SET transaction_read_only = off", "SET"],
    ["SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "SET"],
    ["RESET ALL", "SET"],
    ["SET ROLE postgres", "SET"],
    ["SET SESSION AUTHORIZATION postgres", "SET"],
    ["COPY t TO PROGRAM 'id'", "COPY"],
    ["COPY t FROM '/etc/passwd'", "COPY"],
    ["DO $$ BEGIN DELETE FROM t; END $$", "DO"],
    ["CALL p()", "CALL"],
    ["LISTEN x", "LISTEN"],
    ["NOTIFY x", "NOTIFY"],
    ["LOCK TABLE t IN ACCESS EXCLUSIVE MODE", "LOCK"],
    ["CREATE TABLE evil (a int)", "CREATE TABLE"],
    ["ALTER TABLE t ADD COLUMN b int", "ALTER TABLE"],
    ["DROP TABLE t", "DROP"],
    ["TRUNCATE t", "TRUNCATE"],
    ["GRANT ALL ON t TO PUBLIC", "GRANT"],
    ["PREPARE p AS DELETE FROM t", "PREPARE"],
    ["EXECUTE p", "EXECUTE"],
    ["DECLARE c CURSOR WITH HOLD FOR SELECT 1", "DECLARE CURSOR"],
    ["EXPLAIN ANALYZE DELETE FROM t", "EXPLAIN"],
    ["EXPLAIN (ANALYZE, BUFFERS) UPDATE t SET a = 1", "EXPLAIN"],
    ["VACUUM t", "VACUUM"],
    ["SHOW ALL", "SHOW"],
    ["CREATE TABLE evil AS SELECT 1", "CREATE TABLE AS"],
    ["REFRESH MATERIALIZED VIEW v", "REFRESH"],
  ])("refuses %s", async (sql, expected) => {
    const error = await refusal(guardRead(sql, options));
    expect(error.code).toBe("permission_denied");
    expect(error.notApplied).toBe(true);
    expect(error.message).toContain(expected);
    expect(error.details?.layer).toBe("sql-guard");
  });

  it("refuses several statements, including the published COMMIT; DROP TABLE bypass", async () => {
    for (const sql of ["SELECT 1; COMMIT; DROP TABLE t", "SELECT 1; SELECT 2", "COMMIT; DROP TABLE t"]) {
      const error = await refusal(guardRead(sql, options));
      expect(error.code).toBe("permission_denied");
      expect(error.message).toMatch(/statements were given/);
    }
  });

  it("sees through comments, quoting, case and unicode escapes", async () => {
    for (const sql of [
      "/* SELECT */ DELETE FROM t",
      "-- SELECT\nDELETE FROM t",
      'DeLeTe FrOm "t"',
      "WITH x AS (SELECT 1) /* */ DELETE FROM t",
      "(SELECT 1) UNION (SELECT 2); DELETE FROM t",
    ]) {
      await expect(guardRead(sql, options)).rejects.toMatchObject({ code: "permission_denied" });
    }
    const escaped = await refusal(guardRead(`SELECT U&"\\0070g_read_file"('/etc/passwd')`, options));
    expect(escaped.details?.layer).toBe("function-deny-list");
    expect(escaped.details?.functions).toEqual(["pg_read_file"]);
  });

  it("reports syntax errors as invalid_input with a 1-based position", async () => {
    const error = await refusal(guardRead("SELECT 1 FROM", options));
    expect(error.code).toBe("invalid_input");
    expect(error.details?.position).toBe(14);
    const multibyte = await refusal(guardRead("SELECT 'é' FROM", options));
    expect(multibyte.details?.position).toBe(16);
    expect((await refusal(guardRead("SELECT 'éé' FROM WHERE", options))).details?.position).toBe(18);
    await expect(guardRead("   ", options)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(guardRead("-- only a comment", options)).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("cuts the statement text exactly, without the semicolon and across multibyte characters", async () => {
    const [statement] = await parseStatements("  SELECT 'ü€' AS x ;  ");
    expect(statement?.text).toBe("  SELECT 'ü€' AS x ");
  });
});

describe("function deny list (layer 4): walked in the parse tree", () => {
  it.each([
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT pg_catalog.pg_read_binary_file('/etc/passwd')",
    "SELECT * FROM pg_ls_dir('/')",
    "SELECT pg_stat_file('/etc/passwd')",
    "SELECT lo_import('/etc/passwd')",
    "SELECT lo_export(1, 'exported-large-object')",
    "SELECT lo_from_bytea(0, 'x')",
    "SELECT * FROM dblink('dbname=postgres', 'DELETE FROM t') AS x(a int)",
    "SELECT dblink_exec('dbname=postgres', 'DROP TABLE t')",
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    "SELECT set_config('statement_timeout', '0', false)",
    "SELECT pg_terminate_backend(1)",
    "SELECT pg_cancel_backend(1)",
    "SELECT pg_reload_conf()",
    "SELECT pg_rotate_logfile()",
    "SELECT txid_current()",
    "SELECT pg_advisory_lock(1)",
    "SELECT pg_try_advisory_xact_lock(1)",
    "SELECT nextval('s')",
    "SELECT setval('s', 1)",
    "SELECT query_to_xml('DELETE FROM t RETURNING 1', true, true, '')",
    "SELECT pg_logical_emit_message(true, 'a', 'b')",
    "SELECT pg_create_physical_replication_slot('x')",
    "SELECT pg_promote()",
    "SELECT pg_stat_reset()",
    "SELECT pg_import_system_collations('public')",
    "SELECT pg_notify('c', 'x')",
    "SELECT ts_stat('SELECT to_tsvector(''x'')')",
    "SELECT pg_sleep(3600)",
    "SELECT pg_sleep(x) FROM t",
    "SELECT pg_sleep_for('1 hour')",
    "SELECT ('/etc/passwd'::text).pg_read_file",
    "SELECT t.pg_read_file FROM CAST('/etc/passwd' AS text) AS t",
    "SELECT \"PG_READ_FILE\"('/etc/passwd')",
    "SELECT (SELECT pg_read_file('/etc/passwd')) AS nested",
    "SELECT 1 WHERE EXISTS (SELECT pg_advisory_lock(1))",
  ])("refuses %s", async (sql) => {
    const error = await refusal(guardRead(sql, options));
    expect(error.code).toBe("permission_denied");
    expect(error.details?.layer).toBe("function-deny-list");
  });

  it("lets constant pg_sleep within the cap through (statement_timeout still bounds it)", async () => {
    await expect(guardRead("SELECT pg_sleep(0.5)", options)).resolves.toBeDefined();
    await expect(guardRead("SELECT pg_sleep(5)", options)).resolves.toBeDefined();
    await expect(guardRead("SELECT pg_sleep(5.5)", options)).rejects.toMatchObject({
      code: "permission_denied",
    });
  });

  it("knows families by prefix and leaves ordinary functions alone", () => {
    expect(deniedFunctionReason("lo_truncate64")).toBeDefined();
    expect(deniedFunctionReason("dblink_connect_u")).toBeDefined();
    expect(deniedFunctionReason("pg_advisory_unlock_all")).toBeDefined();
    expect(deniedFunctionReason("PG_READ_FILE")).toBeDefined();
    for (const name of [
      "lower",
      "count",
      "now",
      "pg_sleep",
      "jsonb_build_object",
      "format",
      "current_setting",
    ]) {
      expect(deniedFunctionReason(name)).toBeUndefined();
    }
  });

  it("is its own layer: it finds calls whatever the statement kind", async () => {
    await ensureParser();
    const [statement] = await parseStatements("INSERT INTO t SELECT pg_read_file('/x')");
    expect(findDeniedCalls(statement?.node, 5).map((call) => call.name)).toEqual(["pg_read_file"]);
  });
});

describe("guards for explain and writes", () => {
  it("explains reads and DML, never anything else", async () => {
    await expect(guardExplain("DELETE FROM t WHERE id = 1", options)).resolves.toMatchObject({
      kind: "DeleteStmt",
    });
    await expect(guardExplain("SELECT 1", options)).resolves.toMatchObject({ kind: "SelectStmt" });
    await expect(guardExplain("EXPLAIN ANALYZE DELETE FROM t", options)).rejects.toMatchObject({
      code: "permission_denied",
    });
    await expect(guardExplain("DROP TABLE t", options)).rejects.toMatchObject({ code: "permission_denied" });
  });

  it("names every table a write touches, including those of data-modifying CTEs", async () => {
    const plan = await guardWrite(
      "WITH moved AS (DELETE FROM staging.inbox RETURNING *) INSERT INTO sales.orders SELECT * FROM moved",
      options,
    );
    expect(plan.command).toBe("INSERT");
    expect(plan.targets).toEqual([
      { schema: "sales", name: "orders" },
      { schema: "staging", name: "inbox" },
    ]);
    await expect(guardWrite("INSERT INTO t VALUES (1); DROP TABLE t", options)).rejects.toMatchObject({
      code: "permission_denied",
    });
    await expect(guardWrite("CREATE TABLE x (a int)", options)).rejects.toMatchObject({
      code: "permission_denied",
    });
    await expect(guardWrite("SELECT 1", options)).rejects.toMatchObject({ code: "permission_denied" });
    await expect(guardWrite("UPDATE t SET a = pg_read_file('/x')", options)).rejects.toMatchObject({
      details: { layer: "function-deny-list" },
    });
    expect(describeWriteSync("UPDATE t SET a = 1", "app")).toEqual({
      command: "UPDATE",
      tables: ["app.t"],
      schemas: ["app"],
    });
    expect(describeWriteSync("not sql at all", "public")).toBeUndefined();
  });

  it("wraps for paging and explain only when the reparse holds exactly the caller's statement", async () => {
    const [statement] = await parseStatements("SELECT id FROM t ORDER BY id -- trailing comment");
    const page = await wrapForPage(statement!, 11, 20);
    expect(page.text).toMatch(/LIMIT 11 OFFSET 20$/);
    expect(page.positionOffset).toBe("SELECT * FROM (\n".length);
    const explain = await wrapForExplain(statement!);
    expect(explain.text.startsWith("EXPLAIN (FORMAT JSON)\n")).toBe(true);
    // A statement text that would escape the parentheses is refused (the guard never produces one, but the
    // check does not rely on that).
    const forged = { ...statement!, text: "SELECT 1) AS x, (SELECT 2" };
    await expect(wrapForPage(forged, 1, 0)).rejects.toMatchObject({ code: "permission_denied" });
  });
});
