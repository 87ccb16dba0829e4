import type { ConnectionOptions } from "node:tls";
import type { ConnectorRuntimeOptions, CredentialProvider } from "@switchyard/core";
import { credentialFromSetting, fromEnv, nonEmptySetting, parseAllowlist } from "@switchyard/core";

/** Time limits and caps of a streaming export (`streamQuery`), which outlives a tool call. */
export interface PostgresStreamSettings {
  /** statement_timeout of one export. Default 15 minutes; 0 turns it off. */
  readonly statementTimeoutMs?: number | undefined;
  /** How long an export may wait for its consumer between batches. Default 5 minutes. */
  readonly idleInTransactionTimeoutMs?: number | undefined;
  /** Rows fetched per round trip. Default 1,000. */
  readonly batchSize?: number | undefined;
}

export interface PostgresSettings extends ConnectorRuntimeOptions {
  /** `postgres://user:password@host:port/database?sslmode=require` (DATABASE_URL). Fields below override its parts. */
  readonly connectionString?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly database?: string | undefined;
  readonly user?: string | undefined;
  /** The password, or a reference such as `aws-sm://prod/db#password` resolved by a registered secret store. */
  readonly password?: string | undefined;
  /** Any credential provider; asked for every new connection. Takes precedence over `password`. */
  readonly credentials?: CredentialProvider | undefined;
  /** `true` (verify against the system CAs), `false`, or node:tls options. */
  readonly ssl?: boolean | ConnectionOptions | undefined;
  /** Pool size. Default 5. */
  readonly max?: number | undefined;
  /** Longest wait for a pooled connection (or a new one) before the call fails `upstream_unavailable`. Default 5 s. */
  readonly connectionTimeoutMs?: number | undefined;
  /** Idle connections close after this. Default 10 s. */
  readonly idleTimeoutMs?: number | undefined;
  /** Connections are replaced after this age, so rotated passwords and failovers are picked up. Default 30 min. */
  readonly maxLifetimeSeconds?: number | undefined;
  /** Connections are replaced after this many checkouts. Default: unlimited. */
  readonly maxUses?: number | undefined;
  /** Upper bound of one statement; each call also stays within its own deadline. Default 15 s. */
  readonly statementTimeoutMs?: number | undefined;
  /** Longest wait for a lock. Default 2 s. */
  readonly lockTimeoutMs?: number | undefined;
  /** A session left idle inside a transaction is ended by the server after this. Default 30 s. */
  readonly idleInTransactionTimeoutMs?: number | undefined;
  /** `application_name` of every connection. Default `switchyard-postgres`. */
  readonly applicationName?: string | undefined;
  /**
   * Schemas `postgres_execute` may write to (`sales`, `staging_*`), POSTGRES_WRITE_SCHEMAS. Empty or absent:
   * no schema is listed, so every write needs an approval (policy `when-unlisted`) or is refused.
   */
  readonly schemas?: readonly string[] | undefined;
  /** Schema unqualified table names in `postgres_execute` resolve in (its search_path). Default `public`. */
  readonly defaultSchema?: string | undefined;
  /** Most rows one `postgres_query` call returns. Default (and ceiling) 1,000. */
  readonly maxRows?: number | undefined;
  /** Bytes of one bytea value returned (as base64); longer values are cut and say so. Default 4 KiB. */
  readonly maxByteaBytes?: number | undefined;
  /** Longest constant `pg_sleep(n)` the SQL guard lets through, in seconds. Default 5. */
  readonly maxSleepSeconds?: number | undefined;
  readonly stream?: PostgresStreamSettings | undefined;
}

/** The environment variables the connector reads. */
export const POSTGRES_ENV = {
  url: "DATABASE_URL",
  password: "POSTGRES_PASSWORD",
  writeSchemas: "POSTGRES_WRITE_SCHEMAS",
  poolMax: "POSTGRES_POOL_MAX",
  statementTimeoutMs: "POSTGRES_STATEMENT_TIMEOUT_MS",
  connectionTimeoutMs: "POSTGRES_CONNECTION_TIMEOUT_MS",
} as const;

export const DEFAULT_APPLICATION_NAME = "switchyard-postgres";
export const MAX_ROWS_CEILING = 1000;

const nonEmpty = nonEmptySetting;

function positiveInteger(value: string | undefined, name: string): number | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  const number = Number(text);
  if (!Number.isInteger(number) || number < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got "${text}".`);
  }
  return number;
}

/**
 * Reads settings from environment variables: DATABASE_URL, POSTGRES_PASSWORD (read on every new connection,
 * so an updated value or an `aws-sm://` reference is picked up), POSTGRES_WRITE_SCHEMAS, POSTGRES_POOL_MAX,
 * POSTGRES_STATEMENT_TIMEOUT_MS, POSTGRES_CONNECTION_TIMEOUT_MS. `overrides` win; an override left undefined
 * does not erase what the environment says.
 */
export function postgresSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: PostgresSettings = {},
): PostgresSettings {
  const schemas = parseAllowlist(env[POSTGRES_ENV.writeSchemas]);
  const fromEnvironment: PostgresSettings = {
    connectionString: nonEmpty(env[POSTGRES_ENV.url]),
    credentials: nonEmpty(env[POSTGRES_ENV.password])
      ? fromEnv({ variable: POSTGRES_ENV.password, setting: "postgres.password", env })
      : undefined,
    schemas: schemas.length > 0 ? schemas : undefined,
    max: positiveInteger(env[POSTGRES_ENV.poolMax], POSTGRES_ENV.poolMax),
    statementTimeoutMs: positiveInteger(
      env[POSTGRES_ENV.statementTimeoutMs],
      POSTGRES_ENV.statementTimeoutMs,
    ),
    connectionTimeoutMs: positiveInteger(
      env[POSTGRES_ENV.connectionTimeoutMs],
      POSTGRES_ENV.connectionTimeoutMs,
    ),
  };
  return {
    ...Object.fromEntries(Object.entries(fromEnvironment).filter(([, value]) => value !== undefined)),
    ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  };
}

/** Where and as whom to connect, with the password left to a provider. */
export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly ssl: boolean | ConnectionOptions;
  readonly credentials: CredentialProvider | undefined;
}

interface ParsedUrl {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  ssl?: boolean | ConnectionOptions;
}

/** Parses `postgres://` / `postgresql://` URLs, including `?host=/socket/dir` and `sslmode`. */
export function parseDatabaseUrl(value: string): ParsedUrl {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${POSTGRES_ENV.url} / connectionString is not a valid URL.`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new TypeError(
      `${POSTGRES_ENV.url} must start with postgres:// or postgresql://, got ${url.protocol}`,
    );
  }
  const decode = (part: string) => (part ? decodeURIComponent(part) : undefined);
  const hostParam = url.searchParams.get("host") ?? undefined;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const sslmode = url.searchParams.get("sslmode") ?? url.searchParams.get("ssl") ?? undefined;
  const parsed: ParsedUrl = {};
  const host = hostParam ?? (hostname ? decodeURIComponent(hostname) : undefined);
  if (host) parsed.host = host;
  if (url.port) parsed.port = Number(url.port);
  const database = decode(url.pathname.replace(/^\//, ""));
  if (database) parsed.database = database;
  const user = decode(url.username);
  if (user) parsed.user = user;
  const password = decode(url.password);
  if (password) parsed.password = password;
  if (sslmode !== undefined) {
    if (sslmode === "disable" || sslmode === "false" || sslmode === "0") parsed.ssl = false;
    else if (sslmode === "no-verify" || sslmode === "require" || sslmode === "prefer")
      parsed.ssl = { rejectUnauthorized: false };
    else parsed.ssl = true;
  }
  return parsed;
}

/**
 * Combines the URL and the explicit fields into one target. The password never stays in the pg config: it
 * becomes a credential provider that pg asks on every new connection.
 */
export function resolveConnectionTarget(settings: PostgresSettings): ConnectionTarget {
  const fromUrl = settings.connectionString ? parseDatabaseUrl(settings.connectionString) : {};
  const password = settings.password ?? fromUrl.password;
  const description = settings.password
    ? 'the "postgres.password" setting'
    : `the password in ${POSTGRES_ENV.url}`;
  return {
    host: settings.host ?? fromUrl.host ?? "127.0.0.1",
    port: settings.port ?? fromUrl.port ?? 5432,
    database: settings.database ?? fromUrl.database ?? "postgres",
    user: settings.user ?? fromUrl.user ?? "postgres",
    ssl: settings.ssl ?? fromUrl.ssl ?? false,
    credentials:
      settings.credentials ?? (password ? credentialFromSetting(password, { description }) : undefined),
  };
}
