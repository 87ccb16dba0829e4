import { startSandbox } from "@switchyard/sandbox";
import { type CliIo, UsageError } from "../cli-io.js";

export const SANDBOX_HELP = `switchyard sandbox [--port N] [--json]

Starts the built-in sandbox: loopback fake upstreams for GitHub, Slack, Jira and AWS Secrets
Manager (stateful, paginated, with switchable rate limits and faults), and PostgreSQL (your
DATABASE_URL, or an embedded PGlite with a demo schema when it is not set), and prints the
environment variables that point connectors at them. Runs until interrupted. Drive faults over HTTP, e.g.:

  curl -X POST $SANDBOX/__sandbox/faults -d '{"upstream":"github","fault":{"kind":"rate_limit_429","retryAfterSeconds":2,"count":1}}'`;

export async function sandboxCommand(
  io: CliIo,
  options: { port: string | undefined; json: boolean; signal?: AbortSignal },
): Promise<number> {
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError("--port takes 0-65535.");
  // PostgreSQL: the operator's DATABASE_URL when set, else an embedded PGlite on loopback.
  const databaseUrl = io.env.DATABASE_URL?.trim();
  const sandbox = await startSandbox({ port, postgres: databaseUrl ? { databaseUrl } : "embedded" });
  const env = { SWITCHYARD_SANDBOX_URL: sandbox.url, ...sandbox.env };
  if (options.json) {
    io.out(JSON.stringify({ url: sandbox.url, urls: sandbox.urls, env }, null, 2));
  } else {
    io.out(`Sandbox running at ${sandbox.url} (Ctrl-C to stop). Point connectors at it with:\n`);
    for (const [name, value] of Object.entries(env)) io.out(`export ${name}=${JSON.stringify(value)}`);
  }
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener("abort", () => resolve(), { once: true });
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await sandbox.close();
  return 0;
}
