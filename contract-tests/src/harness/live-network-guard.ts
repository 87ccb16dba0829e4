import dns from "node:dns";
import net from "node:net";
import { isLoopbackHost, type NetworkAttempt } from "@switchyard/core/testing";

/**
 * The network guard of `CONTRACT_TARGET=live`: like core's (`@switchyard/core/testing`), it wraps
 * `net.Socket#connect` and `dns.lookup`, but lets through the real upstream hosts the configured connectors
 * need (api.github.com, slack.com, a PostgreSQL host, ...) besides loopback. Anything else is recorded and
 * blocked, so a live run cannot wander off to a host nobody configured. Core's guard has no allowlist, which
 * is why this one lives here; mock and sandbox keep core's.
 */

export interface LiveGuardRules {
  /** Exact host names (case-insensitive) or `*.suffix` patterns. */
  readonly hosts: readonly string[];
}

const attempts: NetworkAttempt[] = [];
const originalConnect = net.Socket.prototype.connect;
const originalLookup = dns.lookup;
let installedRules: LiveGuardRules | undefined;

/** True when `host` is loopback or matches one of the allowed host patterns. */
export function isAllowedHost(host: string | undefined | null, rules: LiveGuardRules): boolean {
  if (isLoopbackHost(host)) return true;
  const bare = String(host)
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
  return rules.hosts.some((pattern) => {
    const rule = pattern.toLowerCase();
    return rule.startsWith("*.") ? bare.endsWith(rule.slice(1)) : bare === rule;
  });
}

function targetOf(args: unknown[]): { host?: string; port?: unknown; path?: string } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === "object") {
    const options = first as { host?: unknown; port?: unknown; path?: unknown };
    return {
      ...(typeof options.host === "string" ? { host: options.host } : {}),
      port: options.port,
      ...(typeof options.path === "string" ? { path: options.path } : {}),
    };
  }
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    return { port: first, ...(typeof args[1] === "string" ? { host: args[1] } : {}) };
  }
  if (typeof first === "string") return { path: first };
  return {};
}

function blocked(what: string): Error {
  return Object.assign(
    new Error(`network guard (live): ${what} is not an upstream this run is configured for`),
    { code: "ENETGUARD" },
  );
}

export function installLiveNetworkGuard(rules: LiveGuardRules): void {
  if (installedRules) {
    installedRules = rules;
    return;
  }
  installedRules = rules;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    if (target.path === undefined && !isAllowedHost(target.host, installedRules ?? rules)) {
      const where = `${target.host}:${String(target.port ?? "")}`;
      attempts.push({ kind: "connect", target: where });
      process.nextTick(() => this.destroy(blocked(`connect ${where}`)));
      return this;
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
    if (!isAllowedHost(hostname, installedRules ?? rules)) {
      attempts.push({ kind: "dns", target: hostname });
      const callback = rest.at(-1);
      if (typeof callback === "function")
        process.nextTick(() => callback(blocked(`DNS lookup of ${hostname}`)));
      return {};
    }
    return (originalLookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
  };
}

export function removeLiveNetworkGuard(): void {
  if (!installedRules) return;
  installedRules = undefined;
  net.Socket.prototype.connect = originalConnect;
  (dns as { lookup: unknown }).lookup = originalLookup;
}

/** The blocked attempts since the last call, forgotten once returned. */
export function takeLiveNetworkAttempts(): NetworkAttempt[] {
  return attempts.splice(0, attempts.length);
}

/** The hosts the live guard currently lets through (for the report and for tests). */
export function liveGuardHosts(): readonly string[] {
  return installedRules?.hosts ?? [];
}
