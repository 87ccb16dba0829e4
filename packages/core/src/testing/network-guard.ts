import dns from "node:dns";
import net from "node:net";

/**
 * Proves "nothing reached the network": wraps `net.Socket.prototype.connect` (every TCP/TLS client in Node,
 * undici included, ends there) and `dns.lookup`, records every attempt to a host that is not loopback, and
 * blocks it (the socket is destroyed with an error, the lookup fails) so not even a SYN leaves the machine.
 * Loopback (127.0.0.0/8, ::1, localhost) and unix sockets stay allowed: local servers (MCP over HTTP,
 * PostgreSQL, Redis) are fine in tests.
 */

export interface NetworkAttempt {
  readonly kind: "connect" | "dns";
  /** `host:port` for a connect, the hostname for a lookup. */
  readonly target: string;
}

const attempts: NetworkAttempt[] = [];
const originalConnect = net.Socket.prototype.connect;
const originalLookup = dns.lookup;
let installed = false;

/** True for hosts that never leave the machine. */
export function isLoopbackHost(host: string | undefined | null): boolean {
  // Node's default host for `connect(port)` is localhost.
  if (host === undefined || host === null || host === "") return true;
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  const v4 = bare.startsWith("::ffff:") ? bare.slice("::ffff:".length) : bare;
  return net.isIPv4(v4) && v4.startsWith("127.");
}

interface ConnectTarget {
  readonly host?: string | undefined;
  readonly port?: number | string | undefined;
  readonly path?: string | undefined;
}

/** Reads the target out of every form `Socket#connect` accepts, including net's pre-normalised array. */
function connectTarget(args: unknown[]): ConnectTarget {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === "object") {
    const options = first as { host?: unknown; port?: unknown; path?: unknown };
    return {
      host: typeof options.host === "string" ? options.host : undefined,
      port: typeof options.port === "number" || typeof options.port === "string" ? options.port : undefined,
      path: typeof options.path === "string" ? options.path : undefined,
    };
  }
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    return { port: first, host: typeof args[1] === "string" ? args[1] : undefined };
  }
  if (typeof first === "string") return { path: first };
  return {};
}

function blockedError(what: string): Error {
  return Object.assign(new Error(`network guard: ${what} is not allowed in tests (use MSW)`), {
    code: "ENETGUARD",
  });
}

export function installNetworkGuard(): void {
  if (installed) return;
  installed = true;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = connectTarget(args);
    if (target.path === undefined && !isLoopbackHost(target.host)) {
      const where = `${target.host}:${target.port ?? ""}`;
      attempts.push({ kind: "connect", target: where });
      process.nextTick(() => this.destroy(blockedError(`connect ${where}`)));
      return this;
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;

  const guardedLookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
    if (!isLoopbackHost(hostname)) {
      attempts.push({ kind: "dns", target: hostname });
      const callback = rest.at(-1);
      if (typeof callback === "function") {
        process.nextTick(() => callback(blockedError(`DNS lookup of ${hostname}`)));
      }
      return {};
    }
    return (originalLookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
  };
  (dns as { lookup: unknown }).lookup = guardedLookup;
}

export function removeNetworkGuard(): void {
  if (!installed) return;
  installed = false;
  net.Socket.prototype.connect = originalConnect;
  (dns as { lookup: unknown }).lookup = originalLookup;
}

/** Returns the non-loopback attempts recorded since the last call, and forgets them. */
export function takeNetworkAttempts(): NetworkAttempt[] {
  return attempts.splice(0, attempts.length);
}
