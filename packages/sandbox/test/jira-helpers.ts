import dns from "node:dns";
import net from "node:net";
import { Version3Client } from "jira.js";
import { expect } from "vitest";
import { type StartSandboxOptions, startSandbox } from "../src/sandbox.js";

export type JiraTestSandbox = Awaited<ReturnType<typeof startJira>>;

/** A started sandbox with only Jira, a jira.js client on its site URL (Basic auth) and fetch helpers. */
export async function startJira(options: Omit<StartSandboxOptions<"jira">, "upstreams"> = {}) {
  const sandbox = await startSandbox({ ...options, upstreams: ["jira"] });
  const env = sandbox.env as Record<string, string>;
  const site = sandbox.urls.jira;
  const basic = (email = env.JIRA_EMAIL, token = env.JIRA_API_TOKEN) =>
    `Basic ${Buffer.from(`${email}:${token}`).toString("base64")}`;
  const client = (email = env.JIRA_EMAIL as string, apiToken = env.JIRA_API_TOKEN as string) =>
    new Version3Client({ host: site, authentication: { basic: { email, apiToken } } });
  const request = (method: string, path: string, body?: unknown, authorization: string | null = basic()) =>
    fetch(path.startsWith("http") ? path : `${site}${path}`, {
      method,
      headers: {
        ...(authorization === null ? {} : { authorization }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        accept: "application/json",
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
  return { sandbox, env, site, basic, client, request, jira: client() };
}

/** The answer behind a rejected jira.js call: status, body and headers (jira.js 5 keeps axios' error as `cause`). */
export async function jiraFailure(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => expect.unreachable("the call should have failed"),
    (reason: unknown) => reason,
  )) as {
    status: number;
    response: { data: unknown };
    cause?: { response?: { headers?: Record<string, string> } };
  };
  return {
    status: error.status,
    data: error.response.data as { errorMessages: string[]; errors: Record<string, string> },
    headers: error.cause?.response?.headers ?? {},
  };
}

/** A minimal ADF document. */
export const adf = (text: string) => ({
  type: "doc" as const,
  version: 1 as const,
  content: [{ type: "paragraph", content: [{ type: "text", text }] }],
});

const loopback = (host: unknown) =>
  host === undefined ||
  host === null ||
  (typeof host === "string" && (host === "localhost" || host === "::1" || host.startsWith("127.")));

/**
 * Records (and refuses) every connection or DNS lookup that would leave the machine, for the duration of a
 * test file: everything here must stay on 127.0.0.1 or inside MSW.
 */
export function guardNetwork(): { attempts: string[]; restore(): void } {
  const attempts: string[] = [];
  const connect = net.Socket.prototype.connect;
  const lookup = dns.lookup;
  net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const options = (typeof first === "object" && first !== null ? first : {}) as {
      host?: unknown;
      path?: unknown;
    };
    const host = typeof first === "object" ? options.host : args[1];
    if (options.path === undefined && !loopback(host)) {
      attempts.push(`connect ${String(host)}`);
      process.nextTick(() => this.destroy(new Error(`network guard: connect ${String(host)}`)));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  (dns as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
    if (!loopback(hostname)) {
      attempts.push(`dns ${hostname}`);
      const callback = rest.at(-1);
      if (typeof callback === "function")
        process.nextTick(() => callback(new Error(`network guard: ${hostname}`)));
      return {};
    }
    return (lookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
  };
  return {
    attempts,
    restore() {
      net.Socket.prototype.connect = connect;
      (dns as { lookup: unknown }).lookup = lookup;
    },
  };
}
