import { createHash } from "node:crypto";

/**
 * Atlassian OAuth 2.0 (3LO) grants with **rotating refresh tokens**: every refresh returns a new refresh
 * token; the old one may be replayed within a short reuse window (10 minutes), and replaying it after that
 * revokes the whole grant, every refresh and access token of it included (`invalid_grant`). Access tokens
 * expire after `accessTokenTtlSeconds` (3600). Refresh tokens lapse after 90 days without use, grants after
 * 365 days.
 */

export interface JiraOAuthSettings {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Access-token lifetime; default 3600 s. */
  readonly accessTokenTtlSeconds?: number;
  /** How long a rotated-out refresh token may still be replayed; default 600 s. */
  readonly reuseWindowSeconds?: number;
  /** A refresh token unused this long is dead; default 90 days. */
  readonly refreshTokenInactivitySeconds?: number;
  /** A grant's absolute lifetime; default 365 days. */
  readonly grantLifetimeSeconds?: number;
  /** Scopes of the seeded grant. */
  readonly scopes?: readonly string[];
}

export const DEFAULT_OAUTH_SCOPES = ["read:jira-work", "write:jira-work", "read:jira-user", "offline_access"];
export const SANDBOX_OAUTH_CLIENT_ID = "SandboxJiraClientId0000000000000";
export const SANDBOX_OAUTH_CLIENT_SECRET = "ATOAsandbox-client-secret-000000000000000000000000";

const DAY_SECONDS = 86_400;

export interface GrantRecord {
  readonly id: string;
  readonly accountId: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  /** The refresh token to use next. */
  latest: string;
  revoked: false | "reuse" | "manual";
  refreshes: number;
}

interface RefreshTokenRecord {
  readonly token: string;
  readonly grantId: string;
  readonly issuedAt: number;
  /** When it was exchanged (rotated out); undefined while it is the grant's latest. */
  rotatedAt: number | undefined;
}

interface AccessTokenRecord {
  readonly grantId: string;
  readonly expiresAt: number;
}

export type TokenEndpointResult =
  | { readonly status: 200; readonly body: Record<string, unknown> }
  | { readonly status: 400 | 401 | 403; readonly body: { error: string; error_description: string } };

export type AccessTokenCheck =
  | { readonly ok: true; readonly grant: GrantRecord }
  | { readonly ok: false; readonly reason: "unknown" | "expired" | "revoked" };

const invalidGrant = (): TokenEndpointResult => ({
  status: 403,
  body: { error: "invalid_grant", error_description: "Unknown or invalid refresh token." },
});

export class JiraOAuth {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly #settings: JiraOAuthSettings;
  readonly #seed: number;
  readonly #now: () => number;
  readonly #accountId: string;
  #counter = 0;
  #grants = new Map<string, GrantRecord>();
  #refreshTokens = new Map<string, RefreshTokenRecord>();
  #accessTokens = new Map<string, AccessTokenRecord>();
  #initialRefreshToken = "";

  constructor(settings: JiraOAuthSettings, seed: number, now: () => number, accountId: string) {
    this.#settings = settings;
    this.clientId = settings.clientId ?? SANDBOX_OAUTH_CLIENT_ID;
    this.clientSecret = settings.clientSecret ?? SANDBOX_OAUTH_CLIENT_SECRET;
    this.#seed = seed;
    this.#now = now;
    this.#accountId = accountId;
    this.reset();
  }

  get accessTokenTtlSeconds(): number {
    return this.#settings.accessTokenTtlSeconds ?? 3600;
  }

  /** The seeded grant's first refresh token (`JIRA_OAUTH_REFRESH_TOKEN`). */
  get initialRefreshToken(): string {
    return this.#initialRefreshToken;
  }

  /** Back to one fresh grant with the same first refresh token. */
  reset(): void {
    this.#counter = 0;
    this.#grants.clear();
    this.#refreshTokens.clear();
    this.#accessTokens.clear();
    this.#initialRefreshToken = this.issueGrant({
      ...(this.#settings.scopes ? { scopes: this.#settings.scopes } : {}),
    });
  }

  /** Starts another grant (as if a user consented again) and returns its first refresh token. */
  issueGrant(options: { scopes?: readonly string[]; accountId?: string } = {}): string {
    const id = `grant-${this.#grants.size + 1}`;
    const grant: GrantRecord = {
      id,
      accountId: options.accountId ?? this.#accountId,
      scopes: options.scopes ?? DEFAULT_OAUTH_SCOPES,
      createdAt: this.#now(),
      latest: "",
      revoked: false,
      refreshes: 0,
    };
    this.#grants.set(id, grant);
    grant.latest = this.#mintRefreshToken(grant);
    return grant.latest;
  }

  grant(id: string): GrantRecord | undefined {
    return this.#grants.get(id);
  }

  grants(): GrantRecord[] {
    return [...this.#grants.values()];
  }

  /** Revokes a grant as a user removing the app's access would. */
  revoke(grantId: string): void {
    const grant = this.#grants.get(grantId);
    if (grant && !grant.revoked) grant.revoked = "manual";
  }

  /** A JWT-looking token, the same for the same seed, grant and sequence (so env values survive a reset). */
  #token(kind: "access" | "refresh", grant: GrantRecord): string {
    this.#counter += 1;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const header = encode({ kid: "auth.atlassian.io/sandbox", alg: "RS256", typ: "JWT" });
    const payload = encode({
      jti: `${grant.id}.${this.#counter}`,
      sub: grant.accountId,
      iss: "https://auth.atlassian.com",
      aud: "api.atlassian.com",
      typ: kind,
      scope: grant.scopes.join(" "),
    });
    const signature = createHash("sha256")
      .update(`${this.#seed}:${kind}:${grant.id}:${this.#counter}`)
      .digest("base64url");
    return `${header}.${payload}.${signature}`;
  }

  #mintRefreshToken(grant: GrantRecord): string {
    const token = this.#token("refresh", grant);
    this.#refreshTokens.set(token, { token, grantId: grant.id, issuedAt: this.#now(), rotatedAt: undefined });
    return token;
  }

  #mintAccessToken(grant: GrantRecord): { token: string; expiresIn: number } {
    const expiresIn = this.accessTokenTtlSeconds;
    const expiresAt = this.#now() + expiresIn * 1000;
    const token = this.#token("access", grant);
    this.#accessTokens.set(token, { grantId: grant.id, expiresAt });
    return { token, expiresIn };
  }

  #grantLifetimeMs(): number {
    return (this.#settings.grantLifetimeSeconds ?? 365 * DAY_SECONDS) * 1000;
  }

  /** `POST /oauth/token` with `grant_type=refresh_token`, after the client credentials were checked. */
  refresh(refreshToken: string): TokenEndpointResult {
    const record = this.#refreshTokens.get(refreshToken);
    const grant = record && this.#grants.get(record.grantId);
    if (!record || !grant || grant.revoked) return invalidGrant();
    const now = this.#now();
    if (now >= grant.createdAt + this.#grantLifetimeMs()) return invalidGrant();
    if (record.rotatedAt !== undefined) {
      const reuseWindowMs = (this.#settings.reuseWindowSeconds ?? 600) * 1000;
      if (now - record.rotatedAt > reuseWindowMs) {
        grant.revoked = "reuse";
        return invalidGrant();
      }
      // Replayed inside the window (a lost response, a retry): same successor, a new access token.
      return this.#tokenResponse(grant, grant.latest);
    }
    const inactivityMs = (this.#settings.refreshTokenInactivitySeconds ?? 90 * DAY_SECONDS) * 1000;
    if (now - record.issuedAt > inactivityMs) return invalidGrant();
    record.rotatedAt = now;
    grant.latest = this.#mintRefreshToken(grant);
    grant.refreshes += 1;
    return this.#tokenResponse(grant, grant.latest);
  }

  #tokenResponse(grant: GrantRecord, refreshToken: string): TokenEndpointResult {
    const access = this.#mintAccessToken(grant);
    return {
      status: 200,
      body: {
        access_token: access.token,
        refresh_token: refreshToken,
        expires_in: access.expiresIn,
        scope: grant.scopes.join(" "),
        token_type: "Bearer",
      },
    };
  }

  checkAccessToken(token: string): AccessTokenCheck {
    const record = this.#accessTokens.get(token);
    const grant = record && this.#grants.get(record.grantId);
    if (!record || !grant) return { ok: false, reason: "unknown" };
    if (grant.revoked) return { ok: false, reason: "revoked" };
    if (this.#now() >= record.expiresAt) return { ok: false, reason: "expired" };
    return { ok: true, grant };
  }

  summary(): Record<string, unknown> {
    return {
      clientId: this.clientId,
      grants: this.grants().map((grant) => ({
        id: grant.id,
        accountId: grant.accountId,
        scopes: grant.scopes,
        refreshes: grant.refreshes,
        revoked: grant.revoked,
      })),
      liveAccessTokens: [...this.#accessTokens.values()].filter((record) => record.expiresAt > this.#now())
        .length,
    };
  }
}
