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
 * Each fault applies `count` times (default once). Statements seen are logged, like requests to a fake, and
 * protocol messages are counted (`traffic`): the frontend's by type, and the server's ReadyForQuery messages,
 * one per simple query and per Sync, that is one per round trip the client waits for before it may send the
 * next statement.
 */
export type ProxyFaultKind = "reset" | "cut";

export interface ProxyFault {
  readonly kind: ProxyFaultKind;
  readonly match: RegExp;
  count?: number;
}

/** Messages seen since the proxy started (or `traffic.clear()`). */
export interface ProxyTraffic {
  /** Frontend messages by type: Q (simple query), P (parse), B, D, E (execute), H (flush), S (sync), C (close), ... */
  readonly frontend: Map<string, number>;
  /** Server ReadyForQuery (`Z`) messages after the startup one. */
  readyForQuery: number;
  clear(): void;
}

interface Pair {
  readonly client: net.Socket;
  readonly server: net.Socket;
  pending: Buffer;
  startupDone: boolean;
  /** Server bytes not yet counted; single-byte answers owed to SSLRequest/GSSENCRequest. */
  serverPending: Buffer;
  singleByteAnswers: number;
  /** The server said yes to TLS (or GSS): its messages can no longer be read. */
  serverOpaque: boolean;
  /** The first ReadyForQuery ends the startup: it is not a statement's. */
  startupReady: boolean;
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
  readonly traffic: ProxyTraffic = {
    frontend: new Map(),
    readyForQuery: 0,
    clear() {
      this.frontend.clear();
      this.readyForQuery = 0;
    },
  };

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
      serverPending: Buffer.alloc(0),
      singleByteAnswers: 0,
      serverOpaque: false,
      startupReady: false,
    };
    this.#pairs.add(pair);
    for (const socket of [client, server]) {
      socket.on("error", () => this.#drop(pair, false));
      socket.on("close", () => this.#drop(pair, false));
    }
    client.on("data", (chunk: Buffer) => this.#fromClient(pair, chunk));
    server.on("data", (chunk: Buffer) => {
      this.#countFromServer(pair, chunk);
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

  /** Counts the server's ReadyForQuery messages (`type + int32 length` messages after the SSL answers). */
  #countFromServer(pair: Pair, chunk: Buffer): void {
    if (pair.serverOpaque) return;
    pair.serverPending = Buffer.concat([pair.serverPending, chunk]);
    for (;;) {
      if (pair.singleByteAnswers > 0) {
        if (pair.serverPending.length < 1) break;
        pair.singleByteAnswers -= 1;
        const answer = String.fromCharCode(pair.serverPending[0] ?? 0);
        pair.serverPending = pair.serverPending.subarray(1);
        if (answer === "S" || answer === "G") {
          pair.serverOpaque = true;
          return;
        }
        continue;
      }
      if (pair.serverPending.length < 5) break;
      const length = pair.serverPending.readInt32BE(1);
      if (pair.serverPending.length < length + 1) break;
      const type = String.fromCharCode(pair.serverPending[0] ?? 0);
      pair.serverPending = pair.serverPending.subarray(length + 1);
      if (type !== "Z") continue;
      if (pair.startupReady) this.traffic.readyForQuery += 1;
      else pair.startupReady = true;
    }
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
        else pair.singleByteAnswers += 1;
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
      this.traffic.frontend.set(type, (this.traffic.frontend.get(type) ?? 0) + 1);
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

export function countOf(traffic: ProxyTraffic, type: string): number {
  return traffic.frontend.get(type) ?? 0;
}

function statementText(message: Buffer, type: "Q" | "P"): string {
  // Q: query string. P: statement name, then query string.
  let offset = 5;
  if (type === "P") offset = message.indexOf(0, offset) + 1;
  const end = message.indexOf(0, offset);
  return message.subarray(offset, end < 0 ? message.length : end).toString("utf8");
}
