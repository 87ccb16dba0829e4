import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import {
  Client,
  type JSONRPCMessage,
  ReadBuffer,
  StreamableHTTPClientTransport,
  serializeMessage,
  type Transport,
} from "@modelcontextprotocol/client";
import { type Sandbox, startSandbox } from "@switchyard/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpServerUrl } from "./support/http-server-url.js";

// The `switchyard` CLI with SWITCHYARD_REDIS_URL set, spawned against the sandbox and the real Redis: every
// command must print its result and exit 0 on its own. Each connector used to crash on close ("Connection is
// closed": a limiter set up in the background failed on the closed connection, unhandled) or hang (bottleneck's
// subscriber connection was never closed).

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const builtBin = fileURLToPath(new URL("../bin/switchyard.mjs", import.meta.url));
const runCliSource = fileURLToPath(new URL("./support/run-cli.ts", import.meta.url));

const CLIS = {
  built: [builtBin],
  source: ["--import", "tsx", runCliSource],
} as const;

/** One read call per connector, and what its output must contain. */
const CALLS = {
  github: {
    tool: "github_get_repository",
    args: { owner: "acme", repo: "api" },
    check: (output: Record<string, unknown>) => expect(output).toMatchObject({ fullName: "acme/api" }),
  },
  slack: {
    tool: "slack_list_channels",
    args: { limit: 2 },
    check: (output: Record<string, unknown>) => expect(output.items).toHaveLength(2),
  },
  jira: {
    tool: "jira_list_projects",
    args: { limit: 2 },
    check: (output: Record<string, unknown>) => expect(output.items).toHaveLength(2),
  },
  postgres: {
    tool: "postgres_list_schemas",
    args: {},
    check: (output: Record<string, unknown>) =>
      expect((output.items as { name: string }[]).map((schema) => schema.name)).toContain("public"),
  },
} as const;
const CONNECTORS = Object.keys(CALLS) as (keyof typeof CALLS)[];

let sandbox: Sandbox<"github" | "slack" | "jira">;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sandbox = await startSandbox({
    upstreams: ["github", "slack", "jira"],
    postgres: { databaseUrl: DATABASE_URL },
  });
  // Static tokens: rotating ones (Slack, Jira OAuth) are spent by the first process that refreshes them.
  const {
    SLACK_REFRESH_TOKEN: _slackRefresh,
    SLACK_CLIENT_ID: _slackClient,
    SLACK_CLIENT_SECRET: _slackSecret,
    JIRA_OAUTH_CLIENT_ID: _jiraClient,
    JIRA_OAUTH_CLIENT_SECRET: _jiraSecret,
    JIRA_OAUTH_REFRESH_TOKEN: _jiraRefresh,
    ...tokens
  } = sandbox.env;
  env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    ...tokens,
    SWITCHYARD_REDIS_URL: REDIS_URL,
  };
});

afterAll(async () => {
  await sandbox?.close();
});

interface Exited {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnCli(cli: readonly string[], args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...cli, ...args], { cwd: packageDir, env, stdio: "pipe" });
}

/** Resolves when the process has exited on its own, with everything it wrote. */
function exited(child: ChildProcessWithoutNullStreams): Promise<Exited> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Redis's count of connections accepted so far (INFO stats), over a bare RESP exchange. */
function redisConnectionsReceived(): Promise<number> {
  const url = new URL(REDIS_URL);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    let reply = "";
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      const match = /total_connections_received:(\d+)/.exec(reply);
      if (match) {
        socket.end();
        resolve(Number(match[1]));
      }
    });
    socket.once("error", reject);
    socket.write("*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n");
  });
}

/** What a crash or a failed close leaves on stderr. */
function expectNoCloseFailure(stderr: string): void {
  expect(stderr).not.toMatch(/Connection is closed|Unhandled|ERR_UNHANDLED|triggerUncaughtException/);
}

/** An MCP client transport over a spawned process's stdio that closes stdin and nothing else. */
class ChildStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly buffer = new ReadBuffer();

  constructor(private readonly child: ChildProcessWithoutNullStreams) {}

  async start(): Promise<void> {
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (let message = this.buffer.readMessage(); message; message = this.buffer.readMessage()) {
        this.onmessage?.(message);
      }
    });
    this.child.once("close", () => this.onclose?.());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.child.stdin.write(serializeMessage(message));
  }

  /** Ends stdin, as a desktop client does when it quits; the server must then exit by itself. */
  async close(): Promise<void> {
    this.child.stdin.end();
  }
}

describe("switchyard CLI with Redis configured (sandbox, real Redis)", () => {
  for (const [cliName, cli] of Object.entries(CLIS)) {
    for (const connector of CONNECTORS) {
      const { tool, args, check } = CALLS[connector];
      it(`${cliName}: call ${tool} prints the result and exits 0`, async () => {
        const connectionsBefore = await redisConnectionsReceived();
        const result = await exited(spawnCli(cli, ["call", tool, JSON.stringify(args)]));
        expectNoCloseFailure(result.stderr);
        expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
        check((JSON.parse(result.stdout) as { output: Record<string, unknown> }).output);
        // The call did go through Redis (shared buckets): the CLI opened connections to it.
        expect(await redisConnectionsReceived()).toBeGreaterThan(connectionsBefore);
      });
    }
  }

  for (const connector of CONNECTORS) {
    const { tool, args, check } = CALLS[connector];

    it(`serve ${connector} over stdio exits 0 when the client closes stdin`, async () => {
      const child = spawnCli(CLIS.built, ["serve", connector]);
      const done = exited(child);
      const client = new Client({ name: "redis-cli-test", version: "1.0.0" });
      await client.connect(new ChildStdioTransport(child));
      const result = await client.callTool({ name: tool, arguments: args });
      expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
      check(result.structuredContent as Record<string, unknown>);
      await client.close();
      const outcome = await done;
      expectNoCloseFailure(outcome.stderr);
      expect(outcome, outcome.stderr).toMatchObject({ code: 0, signal: null });
    });

    it(`serve ${connector} over HTTP exits 0 on SIGTERM`, async () => {
      const child = spawnCli(CLIS.built, ["serve", connector, "--http", "127.0.0.1:0"]);
      const done = exited(child);
      const url = await httpServerUrl(child);
      const client = new Client(
        { name: "redis-cli-test", version: "1.0.0" },
        { versionNegotiation: { mode: "auto" } },
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      const result = await client.callTool({ name: tool, arguments: args });
      expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
      check(result.structuredContent as Record<string, unknown>);
      await client.close();
      child.kill("SIGTERM");
      const outcome = await done;
      expectNoCloseFailure(outcome.stderr);
      expect(outcome, outcome.stderr).toMatchObject({ code: 0, signal: null });
    });

    it(`doctor ${connector} reports and exits on its own`, async () => {
      const outcome = await exited(spawnCli(CLIS.built, ["doctor", connector, "--json"]));
      expectNoCloseFailure(outcome.stderr);
      expect(outcome.signal).toBeNull();
      const [report] = JSON.parse(outcome.stdout) as {
        connector: string;
        diagnosis: { reachable: boolean; problems: unknown[]; circuit?: { state: string } };
      }[];
      expect(report).toMatchObject({
        connector,
        diagnosis: { reachable: true, circuit: { state: "closed" } },
      });
      // Status 1 only for a problem doctor names (the sandbox's superuser for postgres, say), never a crash.
      expect(outcome.code).toBe((report?.diagnosis.problems.length ?? 0) > 0 ? 1 : 0);
    });
  }
});
