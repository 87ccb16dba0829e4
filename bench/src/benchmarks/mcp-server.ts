import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { createGithubConnector } from "@switchyard/github";
import { createServerFactory } from "@switchyard/mcp";
import { GITHUB_SANDBOX_TOKEN, startSandbox } from "@switchyard/sandbox";
import { startChildServer } from "../lib/child-server.js";
import type { ProfileBreakdown } from "../lib/cpu-profile.js";
import { CLI_BIN, REPO_ROOT } from "../lib/environment.js";
import { type BenchReport, type Section, table, verdict } from "../lib/markdown.js";
import { rawHttpCaller, sdkHttpCaller, type ToolCall } from "../lib/mcp-http-load.js";
import { startReplayServer } from "../lib/replay.js";
import { median, ms, summarize } from "../lib/stats.js";
import { runConcurrent } from "../lib/timing.js";
import type { McpHttpServerConfig } from "../servers/mcp-http-server.js";
import { type BenchOptions, size } from "./bench-options.js";

export const COLD_START_TARGET_MS = 250;
export const HTTP_THROUGHPUT_TARGET = 1000;
const CONCURRENCY = 8;
const GITHUB_CALL: ToolCall = { name: "github_get_repository", arguments: { owner: "acme", repo: "api" } };
const NOOP_CALL: ToolCall = { name: "noop_ping", arguments: {} };

/** A clean environment: no credentials or config of the machine leak into the measured server. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...extra };
}

/** Spawn to `tools/list` answered, over stdio, with a real SDK client. */
async function coldStart(connector: string): Promise<number> {
  const client = new Client({ name: "bench-cold-start", version: "1.0.0" });
  const started = performance.now();
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [CLI_BIN, "serve", connector],
      cwd: REPO_ROOT,
      env: baseEnv(),
      stderr: "ignore",
    }),
  );
  const { tools } = await client.listTools();
  const elapsed = performance.now() - started;
  if (tools.length === 0) throw new Error(`serve ${connector} listed no tools`);
  await client.close();
  return elapsed;
}

/** Runs an ES module body in a fresh `node` (with `cwd`'s dependencies); resolves with what it printed. */
function nodeEval(code: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (status) =>
      status === 0 ? resolve(text) : reject(new Error(`node -e exited ${status}`)),
    );
  });
}

/** Wall time of a fresh `node` that does nothing: Node's own start-up. */
async function nodeAlone(cwd: string): Promise<number> {
  const started = performance.now();
  await nodeEval("", cwd);
  return performance.now() - started;
}

/** Import time of one module in a fresh process (measured inside it), median of `runs`. */
async function importTime(specifier: string, cwd: string, runs: number): Promise<number> {
  const samples: number[] = [];
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  for (let index = 0; index < runs; index += 1) samples.push(Number(await nodeEval(code, cwd)));
  return median(samples);
}

/** `switchyard serve github --http 127.0.0.1:0`, waiting for the line that names its URL. */
async function spawnHttpServer(
  env: Record<string, string>,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI_BIN, "serve", "github", "--http", "127.0.0.1:0"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /MCP over HTTP at (\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`serve --http exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function callRow(
  name: string,
  run: Awaited<ReturnType<typeof runConcurrent>>,
  calls: number,
  target: boolean,
): string[] {
  const summary = summarize(run.latencies);
  const perSecond = calls / (run.wallMs / 1000);
  return [
    name,
    String(calls),
    String(run.failures),
    ms(summary.p50),
    ms(summary.p95),
    perSecond.toFixed(0),
    target
      ? `≥ ${HTTP_THROUGHPUT_TARGET}/s: ${verdict(perSecond >= HTTP_THROUGHPUT_TARGET && run.failures === 0)}`
      : "",
  ];
}

export async function runMcpServer(options: BenchOptions): Promise<BenchReport> {
  const sections: Section[] = [];
  const calls = size(options, 2000, 16);
  const warmup = size(options, 200, 8);
  const profiledCalls = size(options, 1000, 16);
  const mcpDir = `${REPO_ROOT}/packages/mcp`;

  // Cold start: spawn to tools/list answered, for every connector the CLI serves.
  options.log("mcp: cold starts");
  const coldRows: string[][] = [];
  const nodeSamples: number[] = [];
  for (let index = 0; index < size(options, 10, 2); index += 1) nodeSamples.push(await nodeAlone(mcpDir));
  for (const connector of ["github", "slack", "jira", "postgres"]) {
    const runs = connector === "github" ? size(options, 10, 2) : size(options, 3, 1);
    const samples: number[] = [];
    for (let index = 0; index < runs; index += 1) samples.push(await coldStart(connector));
    const p50 = median(samples);
    const met = p50 < COLD_START_TARGET_MS;
    coldRows.push([
      `switchyard serve ${connector}`,
      String(runs),
      ms(p50),
      ms(Math.min(...samples)),
      ms(Math.max(...samples)),
      connector === "github" ? `< ${COLD_START_TARGET_MS} ms: ${verdict(met)}` : `(${verdict(met)})`,
    ]);
  }
  coldRows.push([
    "`node -e ''`: Node's own start-up, for scale",
    String(nodeSamples.length),
    ms(median(nodeSamples)),
    "",
    "",
    "",
  ]);
  const importRuns = size(options, 3, 1);
  coldRows.push([
    "import of the CLI entry (`dist/cli/main.mjs`) alone, timed inside the process",
    String(importRuns),
    ms(await importTime(`${mcpDir}/dist/cli/main.mjs`, mcpDir, importRuns)),
    "",
    "",
    "",
  ]);
  sections.push({
    heading: "Cold start over stdio: spawn to tools/list answered",
    table: table(["what", "runs", "median", "min", "max", "target"], coldRows),
    notes: [
      "`node packages/mcp/bin/switchyard.mjs serve <connector>` spawned by the MCP SDK's StdioClientTransport; the clock runs from spawn through initialize to the tools/list answer.",
    ],
  });

  options.log("mcp: import times");
  const modules = [
    "@modelcontextprotocol/server",
    "@modelcontextprotocol/client",
    "@switchyard/core",
    "@switchyard/github",
    "@switchyard/slack",
    "@switchyard/jira",
    "@switchyard/postgres",
    "@switchyard/sandbox",
    "@switchyard/audit-postgres",
    "@switchyard/aws-secrets",
    "gpt-tokenizer/encoding/o200k_base",
    "pg",
    "zod",
  ];
  const importRows: string[][] = [];
  for (const specifier of modules)
    importRows.push([`\`${specifier}\``, ms(await importTime(specifier, mcpDir, importRuns))]);
  sections.push({
    heading: "Import time of each package, unbundled (alone, in a fresh process, median)",
    table: table(["module", "import time"], importRows),
    notes: [
      "Each row includes the module's own dependencies (zod and @switchyard/core sit under several), so rows overlap and do not add up. These are the packages as a program importing them loads them (zod alone is 97 ES modules). The CLI does not: it is bundled (`packages/mcp/tsdown.config.ts`), imports only the command that runs and the connectors named, and `serve` over stdio loads neither the HTTP transport, the tokenizer, the sandbox, the MCP client nor `pg`.",
    ],
  });

  // Calls: the GitHub connector against the fixed-body server.
  options.log("mcp: calls over stdio and HTTP");
  const sandbox = await startSandbox({
    upstreams: ["github"],
    options: { github: { rateLimits: { core: 1_000_000 } } },
  });
  const replay = await startReplayServer(sandbox.urls.github, async (url) => {
    const connector = createGithubConnector({ token: GITHUB_SANDBOX_TOKEN, apiUrl: url });
    await connector.call(GITHUB_CALL.name, GITHUB_CALL.arguments);
    await connector.close();
  });
  await sandbox.close();
  const env = baseEnv({
    GITHUB_API_URL: `${replay.server.url}${replay.mountPath}`,
    GITHUB_TOKEN: GITHUB_SANDBOX_TOKEN,
  });
  const callRows: string[][] = [];
  const profileRows: string[][] = [];
  const measure = async (call: () => Promise<void>) => {
    await runConcurrent(call, { total: warmup, concurrency: CONCURRENCY });
    return runConcurrent(call, { total: calls, concurrency: CONCURRENCY });
  };
  try {
    const stdioClient = new Client({ name: "bench-stdio", version: "1.0.0" });
    await stdioClient.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI_BIN, "serve", "github"],
        cwd: REPO_ROOT,
        env,
        stderr: "ignore",
      }),
    );
    const stdio = await measure(async () => {
      const result = await stdioClient.callTool(GITHUB_CALL);
      if (result.isError) throw new Error(JSON.stringify(result.structuredContent));
    });
    await stdioClient.close();
    callRows.push(callRow("`serve github`, stdio, MCP SDK client, 8 in flight", stdio, calls, false));

    const http = await spawnHttpServer(env);
    const sdk = await sdkHttpCaller(http.url, CONCURRENCY);
    callRows.push(
      callRow(
        "`serve github --http`, 8 MCP SDK clients",
        await measure(() => sdk.call(GITHUB_CALL)),
        calls,
        true,
      ),
    );
    await sdk.close();
    const raw = rawHttpCaller(http.url);
    callRows.push(
      callRow(
        "`serve github --http`, raw JSON-RPC POSTs, 8 in flight",
        await measure(() => raw(GITHUB_CALL)),
        calls,
        true,
      ),
    );
    await http.stop();

    // The same serveHttp in processes that profile the measured calls only: the GitHub connector, and a no-op.
    for (const connector of ["github", "noop"] as const) {
      options.log(`mcp: profiled HTTP server (${connector})`);
      const server = await startChildServer(
        new URL("../servers/mcp-http-server.ts", import.meta.url),
        { connector } satisfies McpHttpServerConfig,
        { ...env },
      );
      const call = rawHttpCaller(`${server.url}/mcp`);
      const tool = connector === "github" ? GITHUB_CALL : NOOP_CALL;
      await runConcurrent(() => call(tool), { total: warmup, concurrency: CONCURRENCY });
      await server.ask("profile-start");
      const clientCpu = process.cpuUsage();
      const run = await runConcurrent(() => call(tool), { total: profiledCalls, concurrency: CONCURRENCY });
      const clientUsed = process.cpuUsage(clientCpu);
      const profiled = await server.ask<{ cpuMs: number; breakdown: ProfileBreakdown }>("profile-stop");
      await server.close();
      const label =
        connector === "github"
          ? "serveHttp + GitHub connector (profiled process), raw POSTs"
          : "serveHttp + a no-op tool: no upstream, no bucket (profiled process), raw POSTs";
      callRows.push(callRow(label, run, profiledCalls, false));
      const perCall = (value: number) => ms(value / profiledCalls);
      const clientMs = (clientUsed.user + clientUsed.system) / 1000;
      profileRows.push([connector, "server process CPU", perCall(profiled.cpuMs)]);
      profileRows.push([connector, "load generator CPU (raw POSTs, this process)", perCall(clientMs)]);
      for (const area of profiled.breakdown.byArea.slice(0, connector === "github" ? 12 : 8))
        profileRows.push([connector, `server self time: ${area.area}`, perCall(area.ms)]);
    }
  } finally {
    await replay.server.close();
  }
  sections.push({
    heading: `Calls through the server, concurrency ${CONCURRENCY} (github_get_repository unless noted)`,
    table: table(["server and client", "calls", "failed", "p50", "p95", "calls/s", "target"], callRows),
    notes: [
      `Upstream: the fixed-body node:http server in its own process. Load generator, server and upstream share the 2 cores. ${warmup} warm-up calls before each run.`,
      "The raw POSTs carry what the 2026-07-28 stateless transport requires (Mcp-Method and Mcp-Name headers, protocol version in `_meta`); the SDK client also validates every result against the tool's output schema, which costs the shared cores more.",
    ],
  });
  sections.push({
    heading:
      "Where an HTTP call's CPU goes (V8 CPU profile of the server during the measured calls, per call)",
    table: table(["server", "what", "per call"], profileRows),
    notes: [
      "Self time by package, idle left out. On 2 cores the ceiling is about 2000 ms / (server CPU + load generator CPU + upstream CPU) per call.",
    ],
  });

  // The stateless HTTP transport builds a server per request: what that costs, in process.
  options.log("mcp: per-request server construction");
  const connectors = [createGithubConnector({})];
  const factory = createServerFactory({ connectors });
  const builds = size(options, 2000, 20);
  for (let index = 0; index < 50; index += 1) factory();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < builds; index += 1) factory();
  const buildMs = (performance.now() - started) / builds;
  const used = process.cpuUsage(cpu);
  await Promise.all(connectors.map((connector) => connector.close()));
  sections.push({
    heading:
      "Per-request server construction (the stateless HTTP transport builds one McpServer per request)",
    table: table(
      ["what", "wall", "CPU"],
      [
        [
          `createServerFactory({ connectors: [github] })(): new McpServer + ${factory.tools.length} registerTool`,
          ms(buildMs),
          ms((used.user + used.system) / 1000 / builds),
        ],
      ],
    ),
  });
  return { name: "mcp", title: "4. MCP server: cold start, latency, throughput", sections };
}
