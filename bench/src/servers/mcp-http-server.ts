// The HTTP transport the CLI's `serve --http` uses (serveHttp), in a process the benchmark controls, with
// V8's CPU profiler switched on for the measured calls only (no start-up in the profile). Serves either the
// GitHub connector (settings from the environment, as the CLI reads them) or a no-op connector whose one tool
// answers at once with no upstream and no rate-limit bucket: the floor of MCP over HTTP.
import { Session } from "node:inspector/promises";
import { createConnector, defineTool, READ_ANNOTATIONS } from "@switchyard/core";
import { createGithubConnector, githubSettingsFromEnv } from "@switchyard/github";
import { serveHttp } from "@switchyard/mcp";
import { z } from "zod";
import { serveCommands } from "../lib/child-server.js";
import { analyzeCpuProfile, type CpuProfile } from "../lib/cpu-profile.js";

export interface McpHttpServerConfig {
  readonly connector: "github" | "noop";
}

const noop = defineTool({
  name: "noop_ping",
  title: "Ping",
  description: "Answers at once.",
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  annotations: READ_ANNOTATIONS,
  execute: async () => ({ ok: true }),
});

const session = new Session();
session.connect();
let cpuAtStart = process.cpuUsage();

serveCommands<McpHttpServerConfig>(
  async (config) => {
    const connector =
      config.connector === "github"
        ? createGithubConnector(githubSettingsFromEnv(process.env))
        : createConnector({
            id: "noop",
            title: "No-op",
            tools: [noop],
            buckets: {},
            client: () => undefined,
          });
    const running = await serveHttp({ connectors: [connector], host: "127.0.0.1", port: 0 });
    return Number(new URL(running.url).port);
  },
  {
    "profile-start": async () => {
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 200 });
      await session.post("Profiler.start");
      cpuAtStart = process.cpuUsage();
    },
    "profile-stop": async () => {
      const used = process.cpuUsage(cpuAtStart);
      const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile };
      return { cpuMs: (used.user + used.system) / 1000, breakdown: analyzeCpuProfile(profile) };
    },
  },
);
