import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const LOOPBACK_HOSTNAMES = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTNAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function reject(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): false {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ error: message }));
  return false;
}

/** The hostname of a Host header (`example.com:8080` -> `example.com`, `[::1]:80` -> `[::1]`). */
function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith("[")) return hostHeader.slice(0, hostHeader.indexOf("]") + 1);
  return hostHeader.split(":")[0] ?? "";
}

/**
 * Refuses requests whose Host is not one we serve: on a loopback bind this is what stops DNS rebinding (a
 * page on evil.example resolving its own name to 127.0.0.1).
 */
export function hostGuard(allowedHostnames: readonly string[]) {
  const allowed = new Set(allowedHostnames.map((host) => host.toLowerCase()));
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const host = req.headers.host;
    if (!host || !allowed.has(hostnameOf(host).toLowerCase())) {
      return reject(res, 403, "Forbidden: Host header is not allowed.");
    }
    return true;
  };
}

/** Refuses browser requests from other origins; requests without an Origin (non-browser clients) pass. */
export function originGuard(allowedHostnames: readonly string[]) {
  const allowed = new Set(allowedHostnames.map((host) => host.toLowerCase()));
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    let hostname: string;
    try {
      hostname = new URL(origin).hostname.toLowerCase();
    } catch {
      return reject(res, 403, "Forbidden: Origin header is malformed.");
    }
    const bracketed = hostname.includes(":") ? `[${hostname}]` : hostname;
    if (!allowed.has(hostname) && !allowed.has(bracketed))
      return reject(res, 403, "Forbidden: Origin is not allowed.");
    return true;
  };
}

/** Constant-time bearer token check (hashes first, so the comparison does not leak the token's length). */
export function bearerGuard(expectedToken: string) {
  const expected = createHash("sha256").update(expectedToken).digest();
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const given = createHash("sha256")
      .update(match?.[1] ?? "")
      .digest();
    if (!match || !timingSafeEqual(given, expected)) {
      return reject(res, 401, "Unauthorized: a valid bearer token is required.", {
        "www-authenticate": 'Bearer realm="switchyard"',
      });
    }
    return true;
  };
}
