import { createPrivateKey, sign } from "node:crypto";
import { GITHUB_SANDBOX_TOKEN, type Sandbox, type StartSandboxOptions, startSandbox } from "../src/index.js";

export const TOKEN = GITHUB_SANDBOX_TOKEN;
export const OUTSIDER_TOKEN = "ghp_outsider0000000000000000000000000000";

export interface GithubTestClient {
  readonly sandbox: Sandbox<"github">;
  readonly api: string;
  get(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  send(method: string, path: string, body: unknown, token?: string | null): Promise<Response>;
}

/** A started sandbox with GitHub, and fetch helpers that send the sandbox token unless told otherwise. */
export async function githubSandbox(options: StartSandboxOptions<"github"> = {}): Promise<GithubTestClient> {
  const sandbox = await startSandbox({ ...options, upstreams: ["github"] });
  const api = sandbox.urls.github;
  const headersFor = (token: string | null | undefined, extra?: ConstructorParameters<typeof Headers>[0]) => {
    const headers = new Headers(extra);
    const value = token === undefined ? TOKEN : token;
    if (value !== null) headers.set("authorization", `Bearer ${value}`);
    headers.set("accept", "application/vnd.github+json");
    return headers;
  };
  const url = (path: string) => (path.startsWith("http") ? path : `${api}${path}`);
  return {
    sandbox,
    api,
    get: (path, init = {}) => {
      const { token, ...rest } = init;
      return fetch(url(path), { ...rest, headers: headersFor(token, rest.headers) });
    },
    send: (method, path, body, token) =>
      fetch(url(path), {
        method,
        headers: headersFor(token, { "content-type": "application/json" }),
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
  };
}

/** The `rel` → URL map of a Link header. */
export function parseLink(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of header?.split(",") ?? []) {
    const match = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part.trim());
    if (match) links[match[2] as string] = match[1] as string;
  }
  return links;
}

/** An App JWT as GitHub expects it (and as @switchyard/github builds it). */
export function appJwt(
  privateKeyPem: string,
  claims: { iss?: number | string; iat?: number; exp?: number } = {},
  nowMs = Date.now(),
): string {
  const now = Math.floor(nowMs / 1000);
  const payload = { iat: now - 60, exp: now + 540, iss: 1001, ...claims };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(payload)}`;
  const signature = sign("sha256", Buffer.from(input), createPrivateKey(privateKeyPem)).toString("base64url");
  return `${input}.${signature}`;
}
