import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres.js";

/**
 * `startSandbox({ postgres })`: where the sandbox's `DATABASE_URL` comes from.
 *
 * - `"embedded"` or `{}`: start PGlite on 127.0.0.1 with the demo schema;
 * - `{ databaseUrl }` with a non-empty URL: use it as is and start nothing (an existing DATABASE_URL wins; the
 *   CLI passes `process.env.DATABASE_URL` here), so `{ databaseUrl: process.env.DATABASE_URL }` falls back to
 *   the embedded database only when the variable is unset or empty;
 * - absent: no PostgreSQL at all, no `DATABASE_URL`, PGlite never loaded.
 */
export type SandboxPostgresOption =
  | "embedded"
  | {
      /** A database to use instead of the embedded one (empty or undefined: start the embedded one). */
      readonly databaseUrl?: string | undefined;
      /** Port of the embedded database; default 0 (a free port). */
      readonly port?: number;
      /** Seed the embedded database's demo schema; default true. */
      readonly seed?: boolean;
    };

export interface SandboxPostgres {
  /** What `sandbox.env.DATABASE_URL` is. */
  readonly databaseUrl: string;
  /** `embedded`: PGlite started by the sandbox; `external`: the URL the caller gave. */
  readonly source: "embedded" | "external";
  /** The embedded database (undefined for `external`). */
  readonly embedded: EmbeddedPostgres | undefined;
  /** Stops the embedded database; nothing for an external one. */
  close(): Promise<void>;
}

export async function startSandboxPostgres(
  option: SandboxPostgresOption | undefined,
): Promise<SandboxPostgres | undefined> {
  if (option === undefined) return undefined;
  const config = option === "embedded" ? {} : option;
  if (config.databaseUrl !== undefined && config.databaseUrl.trim() !== "") {
    return {
      databaseUrl: config.databaseUrl,
      source: "external",
      embedded: undefined,
      close: async () => undefined,
    };
  }
  const embedded = await startEmbeddedPostgres({
    ...(config.port === undefined ? {} : { port: config.port }),
    ...(config.seed === undefined ? {} : { seed: config.seed }),
  });
  return { databaseUrl: embedded.databaseUrl, source: "embedded", embedded, close: () => embedded.close() };
}
