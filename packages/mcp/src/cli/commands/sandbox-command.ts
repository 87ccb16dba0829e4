import { startSandbox } from "@switchyard/sandbox";
import { type CliIo, UsageError } from "../cli-io.js";

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
