import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { credentialKey } from "@switchyard/core";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { githubAppCredentials } from "../src/github-app-auth.js";
import { API, connector, failure, fixture, githubHeaders } from "./helpers.js";
import { seen, server } from "./msw-server.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
/** GitHub hands out PKCS#1 PEMs; operators often paste them into one line with \n escapes. */
const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const escapedPem = pem.replace(/\n/g, "\\n");

interface Exchange {
  header: Record<string, unknown>;
  claims: Record<string, number | string>;
  signatureValid: boolean;
}

/** The token endpoint: checks the JWT like GitHub would and issues numbered installation tokens. */
function tokenEndpoint(exchanges: Exchange[], options: { lifetimeMs?: number } = {}) {
  return http.post(`${API}/app/installations/4242/access_tokens`, ({ request }) => {
    const jwt = (request.headers.get("authorization") ?? "").replace(/^bearer /i, "");
    const [header = "", payload = "", signature = ""] = jwt.split(".");
    const exchange: Exchange = {
      header: JSON.parse(Buffer.from(header, "base64url").toString()),
      claims: JSON.parse(Buffer.from(payload, "base64url").toString()),
      signatureValid: verify(
        "sha256",
        Buffer.from(`${header}.${payload}`),
        createPublicKey(publicKey.export({ type: "spki", format: "pem" })),
        Buffer.from(signature, "base64url"),
      ),
    };
    exchanges.push(exchange);
    if (!exchange.signatureValid) {
      return HttpResponse.json(
        {
          message: "A JSON web token could not be decoded",
          documentation_url: "https://docs.github.com/rest",
        },
        { status: 401, headers: githubHeaders() },
      );
    }
    return HttpResponse.json(
      {
        ...fixture("installation-token"),
        token: `ghs_installationToken${String(exchanges.length).padStart(16, "0")}`,
        expires_at: new Date(Date.now() + (options.lifetimeMs ?? 3_600_000)).toISOString(),
      },
      { status: 201, headers: githubHeaders() },
    );
  });
}

const appSettings = (privateKeyText = escapedPem) => ({
  token: undefined,
  app: { appId: "123456", privateKey: privateKeyText, installationId: "4242" },
});

describe("GitHub App authentication", () => {
  it("signs an RS256 JWT (iat 60 s back, exp within 10 min, iss = app id) and uses the installation token", async () => {
    const exchanges: Exchange[] = [];
    const authorizations: string[] = [];
    server.use(
      tokenEndpoint(exchanges),
      http.get(`${API}/repos/acme/api`, ({ request }) => {
        authorizations.push(request.headers.get("authorization") ?? "");
        return HttpResponse.json(fixture("repository"), { headers: githubHeaders() });
      }),
    );
    const github = connector(appSettings());
    const before = Math.floor(Date.now() / 1000);
    await github.call("github_get_repository", { owner: "acme", repo: "api" });
    await github.call("github_get_repository", { owner: "acme", repo: "api" });
    const after = Math.floor(Date.now() / 1000);

    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    expect(exchange?.signatureValid).toBe(true);
    expect(exchange?.header).toEqual({ alg: "RS256", typ: "JWT" });
    const { iat, exp, iss } = exchange!.claims as { iat: number; exp: number; iss: number };
    expect(iss).toBe(123456);
    expect(iat).toBeGreaterThanOrEqual(before - 61);
    expect(iat).toBeLessThanOrEqual(after - 59);
    expect(exp - iat).toBeLessThanOrEqual(600);
    expect(exp).toBeGreaterThan(after);
    expect(authorizations).toEqual([
      "token ghs_installationToken0000000000000001",
      "token ghs_installationToken0000000000000001",
    ]);
  });

  it("gives the credential a stable, non-secret id so rate limits key on the installation", async () => {
    server.use(tokenEndpoint([]));
    const provider = githubAppCredentials({ ...appSettings().app, baseUrl: API });
    const credential = await provider.get();
    expect(credential).toMatchObject({
      id: "app-installation:4242",
      value: "ghs_installationToken0000000000000001",
      attributes: { kind: "app-installation", installationId: "4242" },
    });
    expect(credential.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(credentialKey(credential)).toBe("app-installation:4242");
  });

  it("an expired installation token (401) is refreshed exactly once under 50 concurrent calls", async () => {
    const exchanges: Exchange[] = [];
    let validToken = "ghs_installationToken0000000000000001";
    server.use(
      tokenEndpoint(exchanges),
      http.get(`${API}/repos/acme/:repo`, ({ request }) =>
        request.headers.get("authorization") === `token ${validToken}`
          ? HttpResponse.json(fixture("repository"), { headers: githubHeaders() })
          : HttpResponse.json(fixture("bad-credentials"), { status: 401, headers: githubHeaders() }),
      ),
    );
    const github = connector(appSettings());
    await github.call("github_get_repository", { owner: "acme", repo: "api" });
    expect(exchanges).toHaveLength(1);

    // GitHub expires the token early (revoked, clock skew): every call now meets a 401 first.
    validToken = "ghs_installationToken0000000000000002";
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        github.call("github_get_repository", { owner: "acme", repo: `repo-${index}` }),
      ),
    );
    expect(exchanges).toHaveLength(2);
    expect(results.every((result) => result.output.fullName === "acme/api")).toBe(true);
    expect(results.some((result) => result.metadata.credentialRefreshed)).toBe(true);
  });

  it("refreshes ahead of expires_at without waiting for a 401", async () => {
    const exchanges: Exchange[] = [];
    server.use(
      // A token that expires within the refresh-ahead window is renewed on the next call.
      tokenEndpoint(exchanges, { lifetimeMs: 60_000 }),
      http.get(`${API}/repos/acme/api`, () =>
        HttpResponse.json(fixture("repository"), { headers: githubHeaders() }),
      ),
    );
    const github = connector(appSettings());
    await github.call("github_get_repository", { owner: "acme", repo: "api" });
    await github.call("github_get_repository", { owner: "acme", repo: "api" });
    expect(exchanges).toHaveLength(2);
    expect(seen.filter((request) => request.method === "GET")).toHaveLength(2);
  });

  it("a JWT GitHub rejects is unauthenticated, naming the App settings", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    server.use(tokenEndpoint([]));
    const failed = await failure(
      connector(appSettings(other.toString())).call("github_get_repository", { owner: "acme", repo: "api" }),
    );
    expect(failed.code).toBe("unauthenticated");
    expect(failed.hint).toContain("GITHUB_APP_PRIVATE_KEY");
  });

  it("an unreadable private key is credentials_missing and never echoed", async () => {
    const failed = await failure(
      connector(
        appSettings("-----BEGIN RSA PRIVATE KEY-----\\nnot-a-key\\n-----END RSA PRIVATE KEY-----"),
      ).call("github_get_repository", { owner: "acme", repo: "api" }),
    );
    expect(failed.code).toBe("credentials_missing");
    expect(JSON.stringify(failed.toJSON())).not.toContain("not-a-key");
    expect(seen).toHaveLength(0);
  });

  it("lists the installation's repositories when no owner is given", async () => {
    server.use(
      tokenEndpoint([]),
      http.get(`${API}/installation/repositories`, () =>
        HttpResponse.json(
          { total_count: 1, repository_selection: "selected", repositories: [fixture("repository")] },
          { headers: githubHeaders() },
        ),
      ),
    );
    const { output } = await connector(appSettings()).call("github_list_repositories", {});
    expect((output.items as Array<{ fullName: string }>).map((item) => item.fullName)).toEqual(["acme/api"]);
  });
});
