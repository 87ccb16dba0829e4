import net from "node:net";

/**
 * A TCP proxy in front of the test server that breaks the connection at a chosen statement, like
 * contract-tests' TcpFaultProxy (which this package cannot import): it reads the frontend protocol (startup
 * packet, then `type + int32 length` messages) and, when a `Q` (simple query) or `P` (parse) message matches,
 *
 * - `reset`: drops the connection before forwarding it (the statement never reaches the server);
 * - `cut`: forwards it, then passes half of the server's answer to its execution (the `Q` itself, or the next
 *   `E` execute after a `P`) and drops the connection: the statement ran, its answer was lost.
 *
 * Each fault applies `count` times (default once). Statements seen are logged, like requests to a fake.
 */
export type ProxyFaultKind = "reset" | "cut";

export interface ProxyFault {
  readonly kind: ProxyFaultKind;
  readonly match: RegExp;
  count?: number;
}

interface Pair {
  readonly client: net.Socket;
  readonly server: net.Socket;
  pending: Buffer;
  startupDone: boolean;
  /** A matched `P`: cut the answer to the next `E`. */
  cutAtExecute: boolean;
  cutNextAnswer: boolean;
}

export class FaultProxy {
  readonly #server = net.createServer((client) => this.#connect(client));
  readonly #pairs = new Set<Pair>();
  #fault: ProxyFault | undefined;
  /** Statement texts seen, in order. */
  readonly statements: string[] = [];

  constructor(private readonly target: { host: string; port: number }) {}

  /** Starts listening; returns `url` with its host and port pointed at the proxy. */
  async start(url: string): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    const proxied = new URL(url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String((this.#server.address() as net.AddressInfo).port);
    return proxied.toString();
  }

  set(fault: ProxyFault | undefined): void {
    this.#fault = fault ? { count: 1, ...fault } : undefined;
  }

  /** Statements seen that match `pattern`. */
  count(pattern: RegExp): number {
    return this.statements.filter((sql) => pattern.test(sql)).length;
  }

  async close(): Promise<void> {
    for (const pair of [...this.#pairs]) this.#drop(pair, false);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #connect(client: net.Socket): void {
    const server = net.connect(this.target);
    const pair: Pair = {
      client,
      server,
      pending: Buffer.alloc(0),
      startupDone: false,
      cutAtExecute: false,
      cutNextAnswer: false,
    };
    this.#pairs.add(pair);
    for (const socket of [client, server]) {
      socket.on("error", () => this.#drop(pair, false));
      socket.on("close", () => this.#drop(pair, false));
    }
    client.on("data", (chunk: Buffer) => this.#fromClient(pair, chunk));
    server.on("data", (chunk: Buffer) => {
      if (!pair.cutNextAnswer) {
        client.write(chunk);
        return;
      }
      client.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
      this.#drop(pair, false);
    });
  }

  #drop(pair: Pair, reset: boolean): void {
    if (!this.#pairs.delete(pair)) return;
    if (reset) pair.client.resetAndDestroy();
    else pair.client.destroy();
    pair.server.destroy();
  }

  /** The fault this statement meets, if any (consumed). */
  #take(sql: string): ProxyFaultKind | undefined {
    const fault = this.#fault;
    if (!fault?.match.test(sql)) return undefined;
    fault.count = (fault.count ?? 1) - 1;
    if (fault.count <= 0) this.#fault = undefined;
    return fault.kind;
  }

  #fromClient(pair: Pair, chunk: Buffer): void {
    pair.pending = Buffer.concat([pair.pending, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      if (!pair.startupDone) {
        // Startup and SSLRequest/GSSENCRequest: int32 length, no type byte.
        if (pair.pending.length < 4) break;
        const length = pair.pending.readInt32BE(0);
        if (pair.pending.length < length) break;
        const code = length >= 8 ? pair.pending.readInt32BE(4) : 0;
        if (code !== 80877103 && code !== 80877104) pair.startupDone = true;
        out.push(pair.pending.subarray(0, length));
        pair.pending = pair.pending.subarray(length);
        continue;
      }
      if (pair.pending.length < 5) break;
      const length = pair.pending.readInt32BE(1);
      if (pair.pending.length < length + 1) break;
      const message = pair.pending.subarray(0, length + 1);
      pair.pending = pair.pending.subarray(length + 1);
      const type = String.fromCharCode(message[0] ?? 0);
      if (type === "Q" || type === "P") {
        const sql = statementText(message, type);
        this.statements.push(sql);
        const kind = this.#take(sql);
        if (kind === "reset") {
          if (out.length > 0) pair.server.write(Buffer.concat(out));
          this.#drop(pair, true);
          return;
        }
        if (kind === "cut" && type === "Q") pair.cutNextAnswer = true;
        if (kind === "cut" && type === "P") pair.cutAtExecute = true;
      } else if (type === "E" && pair.cutAtExecute) {
        pair.cutAtExecute = false;
        pair.cutNextAnswer = true;
      }
      out.push(message);
    }
    if (out.length > 0) pair.server.write(Buffer.concat(out));
  }
}

function statementText(message: Buffer, type: "Q" | "P"): string {
  // Q: query string. P: statement name, then query string.
  let offset = 5;
  if (type === "P") offset = message.indexOf(0, offset) + 1;
  const end = message.indexOf(0, offset);
  return message.subarray(offset, end < 0 ? message.length : end).toString("utf8");
}
