import { auditTrailFrom } from "../../config/audit-from-config.js";
import { buildConnectors } from "../../config/build-connectors.js";
import type { SwitchyardConfig } from "../../config/switchyard-config.js";
import { type CliIo, UsageError } from "../cli-io.js";

export interface ServeCommandOptions {
  readonly ids: string[];
  readonly http: string | undefined;
  readonly allowWrites: boolean;
  readonly tools: string[];
}

function parseAddress(value: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(value.trim());
  if (!match) throw new UsageError(`--http takes host:port (e.g. 127.0.0.1:8808), got "${value}".`);
  const host = (match[1] ?? "").replace(/^\[|\]$/g, "");
  const port = Number(match[2]);
  if (port > 65535) throw new UsageError(`Port ${port} is out of range.`);
  return { host, port };
}

/** Resolves when the server has shut down (after SIGTERM or SIGINT). */
export async function serveCommand(
  io: CliIo,
  config: SwitchyardConfig,
  options: ServeCommandOptions,
): Promise<number> {
  if (options.ids.length === 0)
    throw new UsageError("Name at least one connector to serve (e.g. switchyard serve github).");
  const allowWrites = options.allowWrites || config.allowWrites === true;
  const tools = options.tools.length > 0 ? options.tools : (config.tools ?? []);
  const address = options.http ? parseAddress(options.http) : undefined;
  const audit = await auditTrailFrom(config, io.env, io.err);
  const connectors = await buildConnectors({ ids: options.ids, config, env: io.env, allowWrites, audit });
  // Only the transport in use is loaded: stdio never imports the HTTP handler, nor HTTP the stdio one.
  const { serveHttp } = address ? await import("../../transport/serve-http.js") : { serveHttp: undefined };
  const { serveStdio } = address ? { serveStdio: undefined } : await import("../../transport/serve-stdio.js");
  const stopped = new Promise<void>((resolve) => {
    let stopping: Promise<void> | undefined;
    // Once, whichever comes first: stdin's end, SIGTERM or SIGINT (a client may close stdin and then signal).
    const stop = (close: () => Promise<void>) => {
      stopping ??= (async () => {
        await close();
        // The audit trail flushes last, after every call it could record has ended.
        await audit?.close();
        resolve();
      })();
      return stopping;
    };
    const attach = (close: () => Promise<void>) => {
      process.once("SIGTERM", () => void stop(close));
      process.once("SIGINT", () => void stop(close));
    };
    if (address && serveHttp) {
      if (!io.env.SWITCHYARD_CURSOR_SECRET && !config.cursorSecret) {
        io.err(
          "switchyard: SWITCHYARD_CURSOR_SECRET is not set: list cursors are signed with a per-process key, so behind a load balancer a cursor from one instance is refused by another.",
        );
      }
      serveHttp({
        connectors,
        tools,
        host: address.host,
        port: address.port,
        bearerToken: io.env.SWITCHYARD_HTTP_TOKEN || undefined,
        ...(config.http?.allowedHosts ? { allowedHosts: config.http.allowedHosts } : {}),
        ...(config.http?.maxBodyBytes ? { maxBodyBytes: config.http.maxBodyBytes } : {}),
        log: io.err,
      }).then(
        (running) => {
          io.err(
            `switchyard: MCP over HTTP at ${running.url} (health: ${running.url.replace(/\/mcp$/, "/healthz")})`,
          );
          attach(running.close);
        },
        (error: unknown) => {
          io.err(`switchyard: ${(error as Error).message}`);
          process.exitCode = 1;
          void Promise.all(connectors.map((connector) => connector.close())).then(() => resolve());
        },
      );
    } else if (serveStdio) {
      const running = serveStdio({ connectors, tools });
      io.err(`switchyard: serving ${options.ids.join(", ")} over stdio`);
      attach(running.close);
      process.stdin.once("end", () => void stop(running.close));
    }
  });
  await stopped;
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}
