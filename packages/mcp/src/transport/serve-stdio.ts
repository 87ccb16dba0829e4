import { serveStdio as sdkServeStdio } from "@modelcontextprotocol/server/stdio";
import { createServerFactory, type ServerFactoryOptions } from "../server/create-server-factory.js";

export interface RunningStdioServer {
  close(): Promise<void>;
}

/** Serves the connectors over stdin/stdout for desktop clients. Logs must go to stderr. */
export function serveStdio(options: ServerFactoryOptions): RunningStdioServer {
  const factory = createServerFactory(options);
  const handle = sdkServeStdio(() => factory());
  let closing: Promise<void> | undefined;
  return {
    // Idempotent: stdin's end and a signal may both ask for it.
    close() {
      closing ??= (async () => {
        await handle.close();
        await Promise.all(options.connectors.map((connector) => connector.close()));
      })();
      return closing;
    },
  };
}
