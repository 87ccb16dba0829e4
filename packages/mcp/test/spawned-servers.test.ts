import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { describe, expect, it } from "vitest";
import { httpServerUrl } from "./support/http-server-url.js";

const runCli = fileURLToPath(new URL("./support/run-cli.ts", import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));
/** No credentials and no network: tools/list works and calls fail with typed errors. */
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };

describe("spawned switchyard serve", () => {
  it("serves over stdio to a real SDK client", async () => {
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ["--import", "tsx", runCli, "serve", "github"],
        cwd: packageDir,
        env,
        stderr: "pipe",
      }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("github_list_issues");
    expect(tools.map((tool) => tool.name)).not.toContain("github_create_issue");
    const result = await client.callTool({
      name: "github_get_repository",
      arguments: { owner: "acme", repo: "api" },
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({
      error: { code: "credentials_missing", retryable: false },
    });
    await client.close();
  });

  it("serves over Streamable HTTP and drains on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", runCli, "serve", "github", "--http", "127.0.0.1:0"],
      {
        cwd: packageDir,
        env,
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    const url = await httpServerUrl(child);
    const client = new Client(
      { name: "http-test", version: "1.0.0" },
      { versionNegotiation: { mode: "auto" } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await client.listTools()).tools.length).toBeGreaterThan(5);
    await client.close();
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
