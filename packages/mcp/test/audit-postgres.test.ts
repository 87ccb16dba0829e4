import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { captureIo } from "./support/capture-io.js";

const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const database = `switchyard_mcp_audit_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
const databaseUrl = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
})();

describe("audit trail in PostgreSQL through the CLI", () => {
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it("migrates, records calls, and reads them back with audit query", async () => {
    const env = {
      SWITCHYARD_AUDIT_DATABASE_URL: databaseUrl,
      GITHUB_TOKEN: "ghp_0123456789abcdefghij0123456789abcdef",
      // Nothing here may leave the machine: a dead loopback port if a call ever got through.
      GITHUB_API_URL: "http://127.0.0.1:9",
    };
    expect(
      await runCli(
        ["call", "github_create_issue", '{"owner":"acme","repo":"api","title":"x"}'],
        captureIo(env),
      ),
    ).toBe(1);
    expect(
      await runCli(["call", "github_get_repository", '{"owner":"-bad-","repo":"api"}'], captureIo(env)),
    ).toBe(1);
    const query = captureIo(env);
    expect(await runCli(["audit", "query", "--json"], query)).toBe(0);
    const records = query.stdout.map(
      (line) => JSON.parse(line) as { tool: string; outcome: string; input: unknown },
    );
    expect(records.map((record) => [record.tool, record.outcome])).toEqual([
      ["github_create_issue", "permission_denied"],
      ["github_get_repository", "invalid_input"],
    ]);
    const filtered = captureIo(env);
    expect(await runCli(["audit", "query", "--json", "--outcome", "invalid_input"], filtered)).toBe(0);
    expect(filtered.stdout).toHaveLength(1);
    expect(JSON.stringify(records)).not.toContain("ghp_0123456789abcdefghij");
  });
});
