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
];

/**
 * Spawns `serve github` over stdio as a desktop client would, waits for tools/list, and returns every module
 * resolution the server process made (specifier and resolved URL).
 */
async function serveGithubImports(args: string[]): Promise<{ specifier: string; url: string }[]> {
  const log = join(mkdtempSync(join(tmpdir(), "switchyard-imports-")), "imports.log");
  const client = new Client({ name: "lazy-loading-test", version: "1.0.0" });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ["--import", recordImports, ...args, "serve", "github"],
      cwd: packageDir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", SWITCHYARD_IMPORT_LOG: log },
      stderr: "pipe",
    }),
  );
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toContain("github_list_issues");
  await client.close();
  return readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [specifier = "", url = ""] = line.split("\t");
      return { specifier, url };
    });
}

/** The package a resolved file belongs to (`jira.js`, `@slack/web-api`), or its workspace package. */
function packageOf(url: string): string | undefined {
  const installed = /\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (installed) return installed[1];
  const workspace = /\/packages\/([^/]+)\//.exec(url);
  return workspace ? `@switchyard/${workspace[1]}` : undefined;
}

describe("serve loads only what it serves", () => {
  it("from source: `serve github` over stdio imports neither other connectors, nor other commands, nor HTTP", async () => {
    const imports = await serveGithubImports(["--import", "tsx", runCliSource]);
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
    const imports = await serveGithubImports([builtBin]);
    const chunks = [
      ...new Set(imports.map(({ url }) => url).filter((url) => url.includes("/packages/mcp/dist/cli/"))),
    ];
    // The bundle names the sources of each chunk in `//#region <path>` comments.
    const regions = chunks.flatMap((url) =>
      [...readFileSync(fileURLToPath(url), "utf8").matchAll(/^\/\/#region (.+)$/gm)].map((match) =>
        packageOf(`/${match[1]}/`.replace(/^\/\.\.\/([^/.][^/]*)\//, "/packages/$1/")),
      ),
    );
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
