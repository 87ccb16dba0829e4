import { afterAll, describe, expect, it } from "vitest";
import { migrateAuditLog, PostgresAuditError, renderAuditMigrations } from "../src/index.js";
import { newPool, testSchema } from "./support/database.js";

describe("migrateAuditLog", () => {
  const db = testSchema("sy_audit_mig");
  const others = [newPool(), newPool(), newPool()];

  afterAll(async () => {
    await Promise.all(others.map((pool) => pool.end()));
    await db.drop();
  });

  it("applies the migration once when several processes start at the same time", async () => {
    // Separate pools: separate sessions racing for the advisory lock, as separate processes would.
    const results = await Promise.all(others.map((pool) => migrateAuditLog(pool, { schema: db.schema })));
    expect(results.flatMap((result) => result.applied)).toEqual(["001_audit_log"]);
    for (const result of results) expect(result.current).toEqual(["001_audit_log"]);

    const recorded = await db.pool.query(
      `SELECT table_name, version, name FROM "${db.schema}".switchyard_audit_migrations`,
    );
    expect(recorded.rows).toEqual([
      { table_name: "switchyard_audit_log", version: 1, name: "001_audit_log" },
    ]);
  });

  it("is idempotent: running it again (twice in parallel) applies nothing", async () => {
    const [first, second] = await Promise.all([
      migrateAuditLog(db.pool, { schema: db.schema }),
      migrateAuditLog(others[0]!, { schema: db.schema }),
    ]);
    expect(first).toEqual({ applied: [], current: ["001_audit_log"] });
    expect(second).toEqual({ applied: [], current: ["001_audit_log"] });
  });

  it("creates the table, its indexes and the append-only triggers", async () => {
    const columns = await db.pool.query(
      `SELECT column_name, data_type FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'switchyard_audit_log' ORDER BY ordinal_position`,
      [db.schema],
    );
    expect(columns.rows.map((row) => `${row.column_name} ${row.data_type}`)).toEqual([
      "id uuid",
      "at timestamp with time zone",
      "tenant text",
      "connector text",
      "tool text",
      "input jsonb",
      "outcome text",
      "error_message text",
      "attempts integer",
      "request_ids ARRAY",
      "duration_ms integer",
      "approval jsonb",
      "inserted_at timestamp with time zone",
    ]);
    const indexes = await db.pool.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'switchyard_audit_log' ORDER BY indexname`,
      [db.schema],
    );
    const definitions = indexes.rows.map((row) => String(row.indexdef).replace(/^.* USING btree /, ""));
    expect(definitions).toEqual(
      expect.arrayContaining(["(tool, at)", "(tenant, at)", "(at)", "(inserted_at, id)", "(id)"]),
    );
    const triggers = await db.pool.query(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname`,
      [`"${db.schema}".switchyard_audit_log`],
    );
    expect(triggers.rows.map((row) => row.tgname)).toEqual([
      "switchyard_audit_log_append_only_rows",
      "switchyard_audit_log_append_only_truncate",
    ]);
  });

  it("keeps a second table in the same schema apart, and refuses a changed migration", async () => {
    expect(await migrateAuditLog(db.pool, { schema: db.schema, table: "tenant_b_audit" })).toEqual({
      applied: ["001_audit_log"],
      current: ["001_audit_log"],
    });
    await db.pool.query(
      `UPDATE "${db.schema}".switchyard_audit_migrations SET checksum = 'edited' WHERE table_name = 'tenant_b_audit'`,
    );
    const error = await migrateAuditLog(db.pool, { schema: db.schema, table: "tenant_b_audit" }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PostgresAuditError);
    expect((error as Error).message).toMatch(/001_audit_log changed after it was applied/);
  });

  it("renders the shipped SQL for other migration tools, and accepts only plain identifiers", async () => {
    const [migration] = await renderAuditMigrations({ schema: "audit", table: "calls" });
    expect(migration).toMatchObject({ version: 1, name: "001_audit_log" });
    expect(migration?.sql).toContain('CREATE TABLE IF NOT EXISTS "audit"."calls"');
    expect(migration?.sql).not.toContain("{{");
    await expect(migrateAuditLog(db.pool, { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(TypeError);
    await expect(renderAuditMigrations({ table: "Audit" })).rejects.toThrow(/lower-case/);
  });
});
