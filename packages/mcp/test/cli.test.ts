import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { captureIo } from "./support/capture-io.js";

describe("switchyard CLI", () => {
  it("prints help for the CLI and for each command", async () => {
    const io = captureIo();
    expect(await runCli(["--help"], io)).toBe(0);
    expect(io.stdout.join("\n")).toContain("doctor");
    for (const command of ["list", "call", "serve", "doctor"]) {
      const commandIo = captureIo();
      expect(await runCli([command, "--help"], commandIo)).toBe(0);
      expect(commandIo.stdout.join("\n")).toContain(`switchyard ${command}`);
    }
  });

  it("rejects unknown commands and options with usage and status 2", async () => {
    const io = captureIo();
    expect(await runCli(["frobnicate"], io)).toBe(2);
    expect(io.stderr.join("\n")).toContain('Unknown command "frobnicate"');
    const options = captureIo();
    expect(await runCli(["list", "--bogus"], options)).toBe(2);
  });

  it("lists tools with their schema size in tokens, without credentials", async () => {
    const io = captureIo();
    expect(await runCli(["list", "github", "--json"], io)).toBe(0);
    const rows = JSON.parse(io.stdout.join("\n")) as { tool: string; kind: string; tokens: number }[];
    expect(rows.map((row) => row.tool)).toContain("github_list_issues");
    expect(rows.find((row) => row.tool === "github_create_issue")?.kind).toBe("write");
    for (const row of rows) expect(row.tokens).toBeGreaterThan(20);
  });

  it("exits non-zero with the error code when a call fails", async () => {
    const io = captureIo({});
    expect(await runCli(["call", "github_get_repository", '{"owner":"acme","repo":"api"}'], io)).toBe(1);
    expect(io.stderr[0]).toContain("error credentials_missing");
    expect(io.stderr.join("\n")).toContain("GITHUB_TOKEN");
    const badJson = captureIo();
    expect(await runCli(["call", "github_get_repository", "{nope"], badJson)).toBe(2);
    const unknown = captureIo();
    expect(await runCli(["call", "nothing_here"], unknown)).toBe(2);
  });

  it("refuses a write without --allow-writes before anything is sent", async () => {
    const io = captureIo({ GITHUB_TOKEN: "ghp_0123456789abcdefghij0123456789abcdef" });
    expect(
      await runCli(["call", "github_create_issue", '{"owner":"acme","repo":"api","title":"x"}'], io),
    ).toBe(1);
    expect(io.stderr[0]).toContain("permission_denied");
  });

  it("doctor skips unconfigured connectors and names the variable to set", async () => {
    const io = captureIo({});
    expect(await runCli(["doctor"], io)).toBe(0);
    const text = io.stdout.join("\n");
    expect(text).toContain("not configured");
    expect(text).toContain("GITHUB_TOKEN");
    const named = captureIo({});
    expect(await runCli(["doctor", "github"], named)).toBe(1);
    expect(named.stdout.join("\n")).toMatch(/fix: Set .*GITHUB_TOKEN/);
  });

  it("reads switchyard.config.json and rejects an invalid one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-config-"));
    writeFileSync(join(dir, "switchyard.config.json"), JSON.stringify({ allowWrites: true, typo: 1 }));
    const io = captureIo({}, dir);
    expect(await runCli(["list"], io)).toBe(2);
    expect(io.stderr.join("\n")).toContain("typo");
    writeFileSync(
      join(dir, "good.json"),
      JSON.stringify({ connectors: { github: { repositories: ["acme/*"] } } }),
    );
    const good = captureIo({}, dir);
    expect(await runCli(["list", "--config", "good.json"], good)).toBe(0);
  });

  it("serve fails loudly on a tool pattern that matches nothing", async () => {
    const io = captureIo({});
    expect(await runCli(["serve", "github", "--tools", "github_nothing_*"], io)).toBe(2);
    expect(io.stderr.join("\n")).toContain("matches no tool");
  });
});

describe("switchyard audit", () => {
  it("records CLI calls to the configured file and reads them back with filters", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-audit-"));
    const file = join(dir, "audit.jsonl");
    const env = { SWITCHYARD_AUDIT_FILE: file };
    await runCli(["call", "github_get_repository", '{"owner":"acme","repo":"api"}'], captureIo(env));
    await runCli(["call", "github_list_issues", '{"owner":"acme","repo":"api"}'], captureIo(env));
    const tail = captureIo(env);
    expect(await runCli(["audit", "tail", "--json"], tail)).toBe(0);
    const records = tail.stdout.map((line) => JSON.parse(line) as { tool: string; outcome: string });
    expect(records.map((record) => [record.tool, record.outcome])).toEqual([
      ["github_get_repository", "credentials_missing"],
      ["github_list_issues", "credentials_missing"],
    ]);
    const query = captureIo(env);
    expect(await runCli(["audit", "query", "--tool", "github_list_*", "--since", "1h"], query)).toBe(0);
    expect(query.stdout.join("\n")).toContain("github_list_issues");
    expect(query.stdout.join("\n")).not.toContain("github_get_repository");
    const bad = captureIo(env);
    expect(await runCli(["audit", "query", "--since", "someday"], bad)).toBe(2);
  });
});

describe("switchyard sandbox", () => {
  it("starts the loopback fakes, prints the variables that point connectors at them, and stops", {
    timeout: 120_000,
  }, async () => {
    const { sandboxCommand } = await import("../src/cli/commands/sandbox-command.js");
    const io = captureIo({});
    const controller = new AbortController();
    const running = sandboxCommand(io, { port: undefined, json: true, signal: controller.signal });
    // The embedded PostgreSQL takes seconds to start on a loaded machine.
    await expect.poll(() => io.stdout.length, { timeout: 60_000 }).toBeGreaterThan(0);
    const printed = JSON.parse(io.stdout.join("\n")) as { url: string; env: Record<string, string> };
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed.env.GITHUB_API_URL).toBe(`${printed.url}/github`);
    expect(printed.env.AWS_ENDPOINT_URL_SECRETS_MANAGER).toContain(printed.url);
    // No DATABASE_URL given: PostgreSQL falls back to an embedded PGlite with a demo schema.
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: printed.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query("SELECT count(*)::int AS n FROM demo.customers");
    await client.end();
    expect(rows[0].n).toBeGreaterThan(0);
    const health = await fetch(`${printed.url}/__sandbox/health`);
    expect(health.status).toBe(200);
    // The printed variables are enough for the connector: a real call through the CLI succeeds.
    const call = captureIo(printed.env);
    expect(await runCli(["call", "github_get_repository", '{"owner":"acme","repo":"api"}'], call)).toBe(0);
    expect(JSON.parse(call.stdout.join("\n")).output.fullName).toBe("acme/api");
    const slack = captureIo(printed.env);
    expect(await runCli(["call", "slack_list_channels", '{"limit":5}'], slack)).toBe(0);
    expect(JSON.parse(slack.stdout.join("\n")).output.items).toHaveLength(5);
    const jira = captureIo(printed.env);
    expect(
      await runCli(
        ["call", "jira_search_issues", '{"jql":"project = OPS ORDER BY key ASC","limit":3}'],
        jira,
      ),
    ).toBe(0);
    expect(JSON.parse(jira.stdout.join("\n")).output.items).toHaveLength(3);
    const postgres = captureIo(printed.env);
    expect(
      await runCli(
        ["call", "postgres_query", '{"sql":"SELECT count(*) AS n FROM demo.customers"}'],
        postgres,
      ),
    ).toBe(0);
    expect(JSON.parse(postgres.stdout.join("\n")).output.items[0].n).toBeGreaterThan(0);
    controller.abort();
    expect(await running).toBe(0);
  });
});
