import { type ChildProcess, fork } from "node:child_process";
import { TSX_EXEC_ARGV } from "./environment.js";

/** A loopback server running in its own process (its own core), driven over IPC. */
export interface ChildServer {
  readonly url: string;
  readonly port: number;
  /** Sends a command to the server process and resolves with its answer. */
  ask<Answer>(command: string, payload?: unknown): Promise<Answer>;
  close(): Promise<void>;
}

interface Message {
  readonly id?: number;
  readonly type: string;
  readonly payload?: unknown;
}

/** Forks `script` (a module under src/servers), hands it `config`, and waits for it to listen on 127.0.0.1. */
export async function startChildServer(
  script: URL,
  config: unknown,
  env?: Record<string, string>,
): Promise<ChildServer> {
  const child: ChildProcess = fork(script, [], {
    execArgv: TSX_EXEC_ARGV,
    ...(env ? { env } : {}),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 1;
  const pending = new Map<number, (payload: unknown) => void>();
  child.on("message", (message: Message) => {
    if (message.id !== undefined) {
      pending.get(message.id)?.(message.payload);
      pending.delete(message.id);
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ask = <Answer>(type: string, payload?: unknown) =>
    new Promise<Answer>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (answer) => resolve(answer as Answer));
      child.send({ id, type, payload } satisfies Message, (error) => {
        if (error) {
          pending.delete(id);
          reject(error);
        }
      });
    });
  const started = await Promise.race([
    ask<{ port: number }>("start", config),
    exited.then(() => {
      throw new Error(`${script.pathname} exited before listening`);
    }),
  ]);
  return {
    port: started.port,
    url: `http://127.0.0.1:${started.port}`,
    ask,
    async close() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The server side: answers `start` by calling `listen(config)`, every other command with `handlers`. */
export function serveCommands<Config>(
  listen: (config: Config) => Promise<number>,
  handlers: Record<string, (payload: unknown) => unknown>,
): void {
  process.on("message", async (message: Message) => {
    const answer =
      message.type === "start"
        ? { port: await listen(message.payload as Config) }
        : await handlers[message.type]?.(message.payload);
    process.send?.({ id: message.id, type: "answer", payload: answer ?? null });
  });
  process.on("SIGTERM", () => process.exit(0));
  process.on("disconnect", () => process.exit(0));
}
