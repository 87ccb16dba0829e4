import net from "node:net";

/**
 * A TCP proxy in front of PostgreSQL that injects the fault-matrix faults that exist below HTTP: a reset
 * connection, a server that stops answering, a malformed answer and an answer cut short. It reads the
 * frontend protocol (startup packet, then `type + int32 length + payload` messages) so a fault applies to the
 * next statement (`Q` simple query or `P` parse), not to the TLS or startup handshake, and so statements can
 * be counted, like requests reaching an HTTP fake.
 *
 * It speaks the shape of the sandbox's `UpstreamFaults` (set / list / clear) so the fault matrix drives it
 * like any fake.
 */

export type TcpFaultKind = "connection_reset" | "timeout" | "malformed_json" | "truncated_body";

export interface TcpFaultSpec {
  readonly kind: TcpFaultKind;
  /** Apply to the next N statements, then stop. Default: until cleared. */
  readonly count?: number;
  /** Only statements whose SQL matches (default: every statement). */
  readonly match?: RegExp;
}

export interface ProxiedStatement {
  /** `Q` (simple query) or `P` (parse, extended protocol). */
  readonly type: "Q" | "P";
  readonly sql: string;
}

interface ActiveFault {
  readonly id: number;
  readonly spec: TcpFaultSpec;
  applied: number;
  remaining: number | null;
}

interface Pair {
  readonly client: net.Socket;
  readonly server: net.Socket;
  /** Frontend bytes not yet parsed into whole messages. */
  pending: Buffer;
  startupDone: boolean;
  /** Set by a fault: what to do with the server's next answer. */
  onAnswer: "forward" | "malform" | "truncate" | "swallow";
}

/** The garbage a malformed answer consists of: a message type PostgreSQL does not have, and a bogus length. */
const GARBAGE = Buffer.from([0x7e, 0xff, 0xff, 0xff, 0xf0, 0x21, 0x21, 0x21]);

export class TcpFaultProxy {
  readonly #target: { host: string; port: number };
  readonly #server: net.Server;
  readonly #pairs = new Set<Pair>();
  #faults: ActiveFault[] = [];
  #nextId = 1;
  readonly statements: ProxiedStatement[] = [];

  constructor(target: { host: string; port: number }) {
    this.#target = target;
    this.#server = net.createServer((client) => this.#connect(client));
  }

  async start(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return { host: "127.0.0.1", port: (this.#server.address() as net.AddressInfo).port };
  }

  set(spec: TcpFaultSpec | readonly TcpFaultSpec[]): void {
    this.clear();
    for (const one of Array.isArray(spec) ? spec : [spec as TcpFaultSpec]) {
      this.#faults.push({ id: this.#nextId++, spec: one, applied: 0, remaining: one.count ?? null });
    }
  }

  list(): { id: number; spec: TcpFaultSpec; applied: number; remaining: number | null }[] {
    return this.#faults.map((fault) => ({ ...fault }));
  }

  /** Removes the faults and ends connections a `timeout` fault is holding. */
  clear(): void {
    this.#faults = [];
    for (const pair of [...this.#pairs]) {
      if (pair.onAnswer === "swallow") this.#drop(pair, false);
    }
  }

  /** Ends every proxied connection (a clean slate between matrix cells). */
  dropAll(): void {
    for (const pair of [...this.#pairs]) this.#drop(pair, false);
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #connect(client: net.Socket): void {
    const server = net.connect(this.#target);
    const pair: Pair = { client, server, pending: Buffer.alloc(0), startupDone: false, onAnswer: "forward" };
    this.#pairs.add(pair);
    client.on("error", () => this.#drop(pair, false));
    server.on("error", () => this.#drop(pair, false));
    client.on("close", () => this.#drop(pair, false));
    server.on("close", () => this.#drop(pair, false));
    client.on("data", (chunk: Buffer) => this.#fromClient(pair, chunk));
    server.on("data", (chunk: Buffer) => this.#fromServer(pair, chunk));
  }

  #drop(pair: Pair, reset: boolean): void {
    if (!this.#pairs.delete(pair)) return;
    if (reset && typeof pair.client.resetAndDestroy === "function") pair.client.resetAndDestroy();
    else pair.client.destroy();
    pair.server.destroy();
  }

  /** The fault this statement meets, if any (consumed). */
  #take(sql: string): ActiveFault | undefined {
    const fault = this.#faults[0];
    if (!fault || (fault.spec.match && !fault.spec.match.test(sql))) return undefined;
    fault.applied += 1;
    if (fault.remaining !== null) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.#faults.shift();
    }
    return fault;
  }

  #fromClient(pair: Pair, chunk: Buffer): void {
    if (pair.onAnswer === "swallow") return;
    pair.pending = Buffer.concat([pair.pending, chunk]);
    const out: Buffer[] = [];
    while (true) {
      if (!pair.startupDone) {
        // Startup, SSLRequest, GSSENCRequest, CancelRequest: int32 length, no type byte.
        if (pair.pending.length < 4) break;
        const length = pair.pending.readInt32BE(0);
        if (pair.pending.length < length) break;
        const message = pair.pending.subarray(0, length);
        pair.pending = pair.pending.subarray(length);
        const code = length >= 8 ? message.readInt32BE(4) : 0;
        // SSLRequest (80877103) and GSSENCRequest (80877104) are followed by the real startup packet.
        if (code !== 80877103 && code !== 80877104) pair.startupDone = true;
        out.push(message);
        continue;
      }
      if (pair.pending.length < 5) break;
      const length = pair.pending.readInt32BE(1);
      if (pair.pending.length < length + 1) break;
      const message = pair.pending.subarray(0, length + 1);
      pair.pending = pair.pending.subarray(length + 1);
      const type = String.fromCharCode(message[0] ?? 0);
      if (type === "Q" || type === "P") {
        const sql = readStatement(message, type);
        this.statements.push({ type, sql });
        const fault = this.#take(sql);
        if (fault) {
          if (out.length > 0) pair.server.write(Buffer.concat(out));
          this.#apply(pair, fault.spec.kind, message);
          return;
        }
      }
      out.push(message);
    }
    if (out.length > 0) pair.server.write(Buffer.concat(out));
  }

  #apply(pair: Pair, kind: TcpFaultKind, message: Buffer): void {
    switch (kind) {
      case "connection_reset":
        // The statement never reaches the server.
        this.#drop(pair, true);
        return;
      case "timeout":
        pair.onAnswer = "swallow";
        return;
      case "malformed_json":
        // The server runs the statement; the client gets garbage instead of the answer.
        pair.onAnswer = "malform";
        pair.server.write(Buffer.concat([message, pair.pending]));
        pair.pending = Buffer.alloc(0);
        return;
      case "truncated_body":
        pair.onAnswer = "truncate";
        pair.server.write(Buffer.concat([message, pair.pending]));
        pair.pending = Buffer.alloc(0);
        return;
    }
  }

  #fromServer(pair: Pair, chunk: Buffer): void {
    switch (pair.onAnswer) {
      case "forward":
        pair.client.write(chunk);
        return;
      case "swallow":
        return;
      case "malform":
        pair.onAnswer = "swallow";
        pair.client.write(GARBAGE);
        pair.client.end();
        return;
      case "truncate":
        pair.onAnswer = "swallow";
        pair.client.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
        this.#drop(pair, false);
        return;
    }
  }
}

function readStatement(message: Buffer, type: "Q" | "P"): string {
  // Q: string. P: statement name (string), query (string), ...
  let offset = 5;
  if (type === "P") {
    const end = message.indexOf(0, offset);
    offset = end < 0 ? message.length : end + 1;
  }
  const end = message.indexOf(0, offset);
  return message.subarray(offset, end < 0 ? message.length : end).toString("utf8");
}
