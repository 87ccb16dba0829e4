import { AuditTrail } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateAuditLog, postgresAuditSink } from "../src/index.js";
import { testSchema, urlWithPassword } from "./support/database.js";
import { approveAs, CANARY, FAILURES, fakeConnector, type Mode } from "./support/fake-connector.js";

/** A password in the sink's connection string (trust auth ignores it): it must not surface either. */
const DB_PASSWORD = "canary-db-password-77aa66bb";

describe("no secret in any stored audit record", () => {
  const db = testSchema("sy_audit_canary");

  beforeAll(async () => {
    await migrateAuditLog(db.pool, { schema: db.schema });
  });
  afterAll(async () => {
    await db.drop();
  });

  it("keeps the canary out of every column, whatever the outcome", async () => {
    const statuses: unknown[] = [];
    const sink = postgresAuditSink({ connectionString: urlWithPassword(DB_PASSWORD) }, { schema: db.schema });
    const trail = new AuditTrail({
      sink,
      flushIntervalMs: 5,
      onSinkStatus: (status) => statuses.push(status),
    });
    const connector = fakeConnector(trail);
    const secretive = `${CANARY} ghp_CanaryCanaryCanaryCanaryCanary123456 postgres://u:${CANARY}@db:5432/x`;
    for (const mode of ["ok", ...Object.keys(FAILURES)] as Mode[]) {
      await connector.call("auditfake_run", { mode, note: secretive }, { tenant: "acme" }).catch(() => {});
    }
    await connector.call("auditfake_run", { mode: CANARY, note: secretive, token: CANARY }).catch(() => {});
    await connector.call(`auditfake_${CANARY}`, { note: secretive }).catch(() => {});
    await connector.call(
      "auditfake_delete_item",
      { item: CANARY, reason: secretive },
      { approve: approveAs("alice", true, `approved, token ${CANARY}`) },
    );
    await connector
      .call("auditfake_delete_item", { item: "x", reason: "y" }, { approve: approveAs("bob", false, CANARY) })
      .catch(() => {});
    await trail.close();
    await connector.close();
    expect(trail.stats()).toMatchObject({ buffered: 0, written: 11, healthy: true });
    expect(statuses).toEqual([]);

    const dump = await db.pool.query(`SELECT t::text AS row FROM "${db.schema}".switchyard_audit_log t`);
    expect(dump.rows).toHaveLength(11);
    const everything = dump.rows.map((row) => row.row).join("\n");
    expect(everything).toContain("[REDACTED]");
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(Buffer.from(CANARY).toString("base64"));
    expect(everything).not.toContain("ghp_CanaryCanary");
    expect(everything).not.toContain(DB_PASSWORD);
  });
});
