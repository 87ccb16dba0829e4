import type { ChildProcess } from "node:child_process";

/**
 * Resolves with the URL a spawned `switchyard serve --http` prints once it listens (it binds port 0, so the
 * URL is only known from its stderr); rejects with that stderr if the process exits first.
 */
export function httpServerUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /MCP over HTTP at (\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
}
