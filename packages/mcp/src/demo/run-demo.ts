import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { startSandbox } from "@switchyard/sandbox";

interface ToolResult {
  readonly isError?: boolean;
  readonly structuredContent?: Record<string, unknown>;
}

interface IssueItem {
  readonly number: number;
  readonly title: string;
}

/**
 * The CLI the demo spawns: the package's bin, exactly what an MCP client configuration would run. Found by
 * walking up to the package root, because bundling moves this module to a different depth in dist/.
 */
function cliPath(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth += 1) {
    const candidate = join(directory, "bin", "switchyard.mjs");
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  throw new Error("Cannot find bin/switchyard.mjs next to @switchyard/mcp; run `pnpm build` first.");
}

/**
 * The quick start: starts the sandbox, spawns `switchyard serve github` over stdio as an MCP client would,
 * and walks through what the plumbing does, printing a short transcript. No credentials, no network.
 */
export async function runDemo(print: (line: string) => void): Promise<void> {
  const sandbox = await startSandbox({ upstreams: ["github"] });
  const app = sandbox.state.github.appCredentials();
  const client = new Client({ name: "switchyard-demo", version: "1.0.0" });
  try {
    print(`Switchyard quick start: sandbox GitHub at ${sandbox.urls.github}\n`);
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cliPath(), "serve", "github"],
        env: {
          PATH: process.env.PATH ?? "",
          GITHUB_API_URL: sandbox.urls.github,
          // A GitHub App: the server signs a JWT and trades it for a one-hour installation token.
          GITHUB_APP_ID: app.appId,
          GITHUB_APP_INSTALLATION_ID: app.installationId,
          GITHUB_APP_PRIVATE_KEY: app.privateKey,
          GITHUB_REPOSITORIES: "acme/*",
        },
        stderr: process.env.SWITCHYARD_DEMO_DEBUG ? "inherit" : "ignore",
      }),
    );

    const { tools } = await client.listTools();
    print(`1. \`switchyard serve github\` over stdio, driven by an MCP client: ${tools.length} tools`);
    print(`   ${tools.map((tool) => tool.name).join(", ")}\n`);

    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as ToolResult;
    const describe = (items: readonly IssueItem[]) => items.map((item) => `#${item.number}`).join(" ");

    const first = await call("github_list_issues", { owner: "acme", repo: "api", state: "all", limit: 5 });
    const page = first.structuredContent as { items: IssueItem[]; nextCursor: string | null };
    print("2. A paginated listing: github_list_issues acme/api, limit 5");
    print(
      `   page 1: ${describe(page.items)}   nextCursor: ${page.nextCursor?.slice(0, 24)}… (signed, bound to this query)`,
    );
    const second = await call("github_list_issues", {
      owner: "acme",
      repo: "api",
      state: "all",
      limit: 5,
      cursor: page.nextCursor,
    });
    print(`   page 2: ${describe((second.structuredContent as { items: IssueItem[] }).items)}\n`);

    sandbox.faults.set("github", { kind: "rate_limit_429", retryAfterSeconds: 1, count: 1 });
    const started = Date.now();
    const limited = await call("github_get_issue", { owner: "acme", repo: "api", number: 1 });
    print("3. A rate limit: the sandbox answers the next request with 429 and Retry-After: 1");
    print(
      `   github_get_issue #1 ${limited.isError ? "failed" : "succeeded"} after ${((Date.now() - started) / 1000).toFixed(1)} s: the server waited as told, the model saw no error\n`,
    );

    const tokensBefore = sandbox.state.github.summary().issuedInstallationTokens;
    sandbox.faults.set("github", { kind: "expired_credential", count: 1 });
    const rotated = await call("github_get_repository", { owner: "acme", repo: "api" });
    const tokensAfter = sandbox.state.github.summary().issuedInstallationTokens;
    print("4. A credential rotated mid-run: the sandbox rejects the installation token (401)");
    print(
      `   github_get_repository ${rotated.isError ? "failed" : "succeeded"}: the server fetched a new token once and retried (tokens issued: ${tokensBefore} -> ${tokensAfter})\n`,
    );

    print("5. Read-only by default: write tools are not even listed");
    print(
      `   github_create_issue listed: ${tools.some((tool) => tool.name === "github_create_issue") ? "yes" : "no"}`,
    );
    const refused = await call("github_create_issue", { owner: "acme", repo: "api", title: "Demo" }).catch(
      (error: unknown) => ({ isError: true, message: (error as Error).message }),
    );
    print(
      `   calling it anyway is refused by the server: ${"message" in refused ? refused.message : JSON.stringify(refused.structuredContent)} (writes need --allow-writes)\n`,
    );
    print("Done. Next: `pnpm switchyard --help`, docs/mcp-clients.md for Claude, Cursor and VS Code.");
  } finally {
    await client.close().catch(() => {});
    await sandbox.close();
  }
}
