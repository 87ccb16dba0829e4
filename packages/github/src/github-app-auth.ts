import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import { Octokit } from "@octokit/rest";
import type { Credential, CredentialProvider } from "@switchyard/core";
import { ConnectorError, refreshingCredentials, registerSecret } from "@switchyard/core";
import { installationTokenSchema } from "./github-api.js";
import { mapGithubError } from "./github-error.js";
import { GITHUB_ENV, normalizePrivateKey } from "./github-settings.js";
import { VERSION } from "./version.js";

export interface GithubAppCredentialsOptions {
  readonly appId: string;
  readonly privateKey: string;
  readonly installationId: string;
  readonly baseUrl: string;
  /** Refresh this long before the installation token expires. Default 5 minutes. */
  readonly refreshAheadMs?: number;
  readonly now?: () => number;
}

/** GitHub refuses JWTs whose exp is more than 10 minutes ahead; iat is backdated for clock drift. */
const JWT_BACKDATE_SECONDS = 60;
const JWT_LIFETIME_SECONDS = 9 * 60;

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

/** An RS256 JWT identifying the App itself (not an installation); only good for the token exchange. */
export function createAppJwt(appId: string, key: KeyObject, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const header = { alg: "RS256", typ: "JWT" };
  // Numeric App ids go out as numbers, as GitHub's docs show; client ids (Iv1...) as strings.
  const issuer = /^\d+$/.test(appId) ? Number(appId) : appId;
  const payload = { iat: now - JWT_BACKDATE_SECONDS, exp: now + JWT_LIFETIME_SECONDS, iss: issuer };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign("sha256", Buffer.from(signingInput), key);
  return `${signingInput}.${base64url(signature)}`;
}

function loadKey(privateKey: string): KeyObject {
  try {
    const key = createPrivateKey(normalizePrivateKey(privateKey));
    if (key.asymmetricKeyType !== "rsa") throw new TypeError("not an RSA key");
    return key;
  } catch {
    // The parse error may quote the key material: say what is wrong without it.
    throw new ConnectorError({
      code: "credentials_missing",
      message: `${GITHUB_ENV.appPrivateKey} is not a readable RSA private key in PEM form.`,
      hint: `Ask the operator to set ${GITHUB_ENV.appPrivateKey} to the App's .pem file contents (newlines may be written as \\n).`,
      details: { variable: GITHUB_ENV.appPrivateKey },
    });
  }
}

/**
 * Installation tokens for a GitHub App: a JWT is exchanged at POST /app/installations/{id}/access_tokens for
 * a token that lasts one hour. Core's refreshingCredentials renews it ahead of `expires_at`, runs one
 * exchange however many calls need it, and the pipeline invalidates it and gets a new one on a 401.
 */
export function githubAppCredentials(options: GithubAppCredentialsOptions): CredentialProvider {
  const now = options.now ?? Date.now;
  registerSecret(normalizePrivateKey(options.privateKey));
  const id = `app-installation:${options.installationId}`;
  let key: KeyObject | undefined;

  const refresh = async (signal?: AbortSignal): Promise<Credential> => {
    key ??= loadKey(options.privateKey);
    const jwt = createAppJwt(options.appId, key, now());
    registerSecret(jwt);
    // A separate client: the JWT must not be cached as the tools' credential.
    const octokit = new Octokit({
      auth: jwt,
      baseUrl: options.baseUrl,
      userAgent: `switchyard-github/${VERSION}`,
      log: quietLog,
    });
    try {
      const response = await octokit.request("POST /app/installations/{installation_id}/access_tokens", {
        installation_id: Number(options.installationId),
        request: signal ? { signal } : {},
      });
      const body = installationTokenSchema.parse(response.data);
      registerSecret(body.token);
      const expiresAt = Date.parse(body.expires_at);
      return {
        value: body.token,
        id,
        // A missing or unreadable expiry falls back to GitHub's documented one hour.
        expiresAt: Number.isNaN(expiresAt) ? now() + 60 * 60 * 1000 : expiresAt,
        attributes: { kind: "app-installation", installationId: options.installationId },
      };
    } catch (error) {
      throw exchangeError(error, options.installationId);
    }
  };

  return refreshingCredentials({
    description: `GitHub App ${options.appId} installation ${options.installationId} (${GITHUB_ENV.appId}, ${GITHUB_ENV.appPrivateKey}, ${GITHUB_ENV.appInstallationId})`,
    refresh,
    ...(options.refreshAheadMs === undefined ? {} : { refreshAheadMs: options.refreshAheadMs }),
    now,
  });
}

/** Exchange failures are configuration problems; say which setting to check. */
function exchangeError(error: unknown, installationId: string): unknown {
  const mapped = mapGithubError(error);
  if (!mapped) return error;
  if (mapped.code === "unauthenticated") {
    return mapped.with({
      message: `GitHub rejected the App JWT (${mapped.message})`,
      hint: `Check ${GITHUB_ENV.appId} and ${GITHUB_ENV.appPrivateKey} (wrong key, wrong App id, or a clock far off); retrying will not help.`,
    });
  }
  if (mapped.code === "not_found" || mapped.code === "permission_denied") {
    return mapped.with({
      code: "unauthenticated",
      retryable: false,
      message: `GitHub App installation ${installationId} cannot be used (${mapped.message})`,
      hint: `Check ${GITHUB_ENV.appInstallationId}: the App may have been uninstalled or suspended.`,
    });
  }
  return mapped;
}

const noop = () => {};
/** Octokit logs every failed request at error level; failures are reported through ConnectorError instead. */
export const quietLog = { debug: noop, info: noop, warn: noop, error: noop };
