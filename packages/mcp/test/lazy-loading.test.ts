import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const recordImports = fileURLToPath(new URL("./support/record-imports.mjs", import.meta.url));
const runCliSource = fileURLToPath(new URL("./support/run-cli.ts", import.meta.url));
const builtBin = fileURLToPath(new URL("../bin/switchyard.mjs", import.meta.url));
const coreConnector = fileURLToPath(new URL("./support/core-connector.mjs", import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Only Redis mode (shared buckets, circuits, quotas) needs them: core imports them when Redis is configured. */
const REDIS_ONLY = ["ioredis", "bottleneck"];

/** What `serve github` over stdio must never load: other connectors, other commands, the HTTP transport. */
const NOT_FOR_SERVE_GITHUB = [
  "@switchyard/jira",
  "jira.js",
  "marked",
  "@switchyard/slack",
  "@slack/web-api",
  "@switchyard/postgres",
  "pg",
  "pg-cursor",
  "libpg-query",
  "@switchyard/audit-postgres",
  "@switchyard/aws-secrets",
  "@aws-sdk/client-secrets-manager",
  "@switchyard/sandbox",
  "msw",
  "gpt-tokenizer",
  "@modelcontextprotocol/client",
  "@modelcontextprotocol/node",
  ...REDIS_ONLY,
];

/**
 * The client libraries `serve jira` and `serve postgres` import on a tool's first call only: listing tools
 * needs none of them (axios comes with jira.js).
 */
const CLIENT_LIBRARIES = {
  jira: { tool: "jira_get_issue", libraries: ["jira.js", "axios"] },
  postgres: { tool: "postgres_query", libraries: ["pg", "pg-cursor", "libpg-query"] },
} as const;

/**
 * Spawns `serve <connector>` over stdio as a desktop client would, waits for tools/list, and returns every
 * module resolution the server process made (specifier and resolved URL).
 */
async function serveImports(
  args: string[],
  connector = "github",
  expectedTool = "github_list_issues",
): Promise<{ specifier: string; url: string }[]> {
  const log = join(mkdtempSync(join(tmpdir(), "switchyard-imports-")), "imports.log");
  const client = new Client({ name: "lazy-loading-test", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ["--import", recordImports, ...args, "serve", connector],
      cwd: packageDir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", SWITCHYARD_IMPORT_LOG: log },
      stderr: "pipe",
    }),
  );
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toContain(expectedTool);
  await client.close();
  return readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [specifier = "", url = ""] = line.split("\t");
      return { specifier, url };
    });
}

/** The packages bundled into the CLI chunks a process loaded (the bundle names them in `//#region` comments). */
function bundledPackages(imports: { url: string }[]): (string | undefined)[] {
  const chunks = [
    ...new Set(imports.map(({ url }) => url).filter((url) => url.includes("/packages/mcp/dist/cli/"))),
  ];
  return chunks.flatMap((url) =>
    [...readFileSync(fileURLToPath(url), "utf8").matchAll(/^\/\/#region (.+)$/gm)].map((match) =>
      packageOf(`/${match[1]}/`.replace(/^\/\.\.\/([^/.][^/]*)\//, "/packages/$1/")),
    ),
  );
}

/** Every package a process resolved a module of, and every bare specifier it asked for. */
function loadedPackages(imports: { specifier: string; url: string }[]): Set<string> {
  return new Set([
    ...imports.map(({ specifier }) => specifier),
    ...imports.map(({ url }) => packageOf(url)).filter((name) => name !== undefined),
  ]);
}

/** Runs `args` under record-imports.mjs to its end (status 0); returns its module resolutions and output. */
async function importsOf(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ imports: { specifier: string; url: string }[]; stdout: string }> {
  const log = join(mkdtempSync(join(tmpdir(), "switchyard-imports-")), "imports.log");
  const child = spawn(process.execPath, ["--import", recordImports, ...args], {
    cwd: packageDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      SWITCHYARD_IMPORT_LOG: log,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  expect(code, stderr).toBe(0);
  const imports = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [specifier = "", url = ""] = line.split("\t");
      return { specifier, url };
    });
  return { imports, stdout };
}

/** The package a resolved file belongs to (`jira.js`, `@slack/web-api`), or its workspace package. */
function packageOf(url: string): string | undefined {
  const installed = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (installed) return installed[1];
  const workspace = /\/packages\/([^/]+)\//.exec(url);
  return workspace ? `@switchyard/${workspace[1]}` : undefined;
}

describe("ioredis and bottleneck load only with Redis", () => {
  it("importing @switchyard/core and calling a connector without Redis loads neither", async () => {
    const { imports, stdout } = await importsOf([coreConnector]);
    expect(JSON.parse(stdout)).toEqual({ ok: true });
    const loaded = loadedPackages(imports);
    // The path under test ran: core was loaded from its build.
    expect(imports.some(({ url }) => url.includes("/packages/core/dist/"))).toBe(true);
    expect(REDIS_ONLY.filter((name) => loaded.has(name))).toEqual([]);
  });

  it("with Redis configured, the same connector loads both, on first use", async () => {
    const { imports, stdout } = await importsOf([coreConnector], {
      SWITCHYARD_REDIS_URL: REDIS_URL,
      SWITCHYARD_REDIS_PREFIX: `switchyard-test-${randomUUID()}`,
    });
    expect(JSON.parse(stdout)).toEqual({ ok: true });
    const loaded = loadedPackages(imports);
    expect(REDIS_ONLY.filter((name) => loaded.has(name))).toEqual(REDIS_ONLY);
  });
});

describe("serve loads only what it serves", () => {
  it("from source: `serve github` over stdio imports neither other connectors, nor other commands, nor HTTP", async () => {
    const imports = await serveImports(["--import", "tsx", runCliSource]);
    const loaded = new Set([
      ...imports.map(({ specifier }) => specifier),
      ...imports.map(({ url }) => packageOf(url)).filter((name) => name !== undefined),
    ]);
    // The lazy paths under test did run: the connector and the stdio transport were imported.
    expect(loaded).toContain("@switchyard/github");
    expect(imports.some(({ url }) => url.endsWith("/src/transport/serve-stdio.ts"))).toBe(true);
    expect(NOT_FOR_SERVE_GITHUB.filter((name) => loaded.has(name))).toEqual([]);
    const ownModules = imports.map(({ url }) => url).filter((url) => url.includes("/packages/mcp/src/"));
    for (const module of ["serve-http", "list-command", "demo-command", "sandbox-command", "audit-command"])
      expect(ownModules.filter((url) => url.includes(module))).toEqual([]);
  });

  it("built CLI: `serve github` loads no chunk that bundles another connector or command", async () => {
    const imports = await serveImports([builtBin]);
    const regions = bundledPackages(imports);
    expect(regions).toContain("@switchyard/github");
    expect(NOT_FOR_SERVE_GITHUB.filter((name) => regions.includes(name))).toEqual([]);
    // Nothing outside the bundle but Node's own modules.
    expect(
      imports
        .filter(({ url }) => !url.startsWith("node:") && !url.includes("/packages/mcp/"))
        .map(({ url }) => url),
    ).toEqual([]);
  });
});

describe("serve jira and serve postgres list tools without their client libraries", () => {
  for (const [connector, { tool, libraries }] of Object.entries(CLIENT_LIBRARIES)) {
    it(`from source: \`serve ${connector}\` answers tools/list without loading ${libraries.join(", ")}`, async () => {
      const imports = await serveImports(["--import", "tsx", runCliSource], connector, tool);
      const loaded = loadedPackages(imports);
      expect(loaded).toContain(`@switchyard/${connector}`);
      expect(libraries.filter((name) => loaded.has(name))).toEqual([]);
    });

    it(`built CLI: \`serve ${connector}\` loads no chunk that bundles ${libraries.join(", ")}`, async () => {
      const imports = await serveImports([builtBin], connector, tool);
      const regions = bundledPackages(imports);
      expect(regions).toContain(`@switchyard/${connector}`);
      // Bundled libraries (jira.js, axios, pg-cursor) live in chunks of their own, loaded by import() ...
      expect(libraries.filter((name) => regions.includes(name))).toEqual([]);
      // ... and the external ones (pg, libpg-query) were never resolved.
      expect(libraries.filter((name) => loadedPackages(imports).has(name))).toEqual([]);
    });
  }
});
