import type { Server } from "node:http";
import type { RequestHandler } from "msw";
import { createControlHandlers } from "./control/control-handlers.js";
import { SandboxFaults } from "./faults/sandbox-faults.js";
import { UpstreamFaults } from "./faults/upstream-faults.js";
import { serveMswHandlers } from "./http/msw-http-server.js";
import {
  type SandboxPostgres,
  type SandboxPostgresOption,
  startSandboxPostgres,
} from "./postgres/sandbox-postgres.js";
import type { UpstreamInstance } from "./upstream.js";
import {
  isUpstreamName,
  SANDBOX_UPSTREAMS,
  type SandboxUpstreamOptions,
  type SandboxUpstreamStates,
  UPSTREAM_NAMES,
  type UpstreamName,
} from "./upstreams.js";

export interface StartSandboxOptions<Names extends UpstreamName = UpstreamName> {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Loopback only: `127.0.0.1` (default), `::1` or `localhost`. */
  readonly host?: "127.0.0.1" | "::1" | "localhost";
  /** Which fakes to serve; default all registered. Each is mounted at `/<name>`. */
  readonly upstreams?: readonly Names[];
  /** Seed of every upstream's data and of fault `fraction` draws; default 1. */
  readonly seed?: number;
  /** Clock (epoch ms) for created records, token expiry and rate limits; default Date.now. */
  readonly now?: () => number;
  /** Per-upstream options, e.g. `{ github: { rateLimits: { core: 100 } } }`. */
  readonly options?: { readonly [Name in Names]?: SandboxUpstreamOptions[Name] };
  /**
   * PostgreSQL for `env.DATABASE_URL`: `"embedded"` starts PGlite on 127.0.0.1 with a demo schema;
   * `{ databaseUrl: process.env.DATABASE_URL }` uses that URL when it is set (an existing DATABASE_URL wins)
   * and the embedded database otherwise. Absent: no database, and PGlite is never loaded.
   */
  readonly postgres?: SandboxPostgresOption;
}

export interface Sandbox<Names extends UpstreamName = UpstreamName> {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Each upstream's API root, e.g. `{ github: "http://127.0.0.1:PORT/github" }`. */
  readonly urls: { readonly [Name in Names]: string };
  /** Environment variables pointing clients at the sandbox, e.g. GITHUB_API_URL and GITHUB_TOKEN. */
  readonly env: Readonly<Record<string, string>>;
  /** `faults.set("github", { kind: "rate_limit_429", retryAfterSeconds: 2, count: 3 })`, `faults.clear()`. */
  readonly faults: SandboxFaults;
  /** Each upstream's live state. */
  readonly state: { readonly [Name in Names]: SandboxUpstreamStates[Name] };
  /** Every handler the server answers with (control endpoints first). */
  readonly handlers: readonly RequestHandler[];
  readonly server: Server;
  /** The database behind `env.DATABASE_URL` when the `postgres` option was given. */
  readonly postgres: SandboxPostgres | undefined;
  /** Re-seeds one upstream (or all) and clears its faults. */
  reset(upstream?: Names): void;
  /** Stops the server, ends held requests and closes every connection. */
  close(): Promise<void>;
}

/**
 * Starts the loopback sandbox: one HTTP server on 127.0.0.1 (port 0 by default) serving each fake upstream
 * under its own path prefix, plus the `/__sandbox/*` control endpoints.
 */
export async function startSandbox<Names extends UpstreamName = UpstreamName>(
  options: StartSandboxOptions<Names> = {},
): Promise<Sandbox<Names>> {
  const host = options.host ?? "127.0.0.1";
  if (!["127.0.0.1", "::1", "localhost"].includes(host)) {
    throw new TypeError(`The sandbox listens on loopback only (127.0.0.1, ::1, localhost), not ${host}.`);
  }
  const names = [...new Set(options.upstreams ?? (UPSTREAM_NAMES as Names[]))];
  for (const name of names) {
    if (!isUpstreamName(name)) throw new TypeError(`Unknown sandbox upstream "${String(name)}".`);
  }
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now;
  const instances = new Map<Names, UpstreamInstance<unknown>>();
  const upstreamFaults: UpstreamFaults[] = [];
  for (const name of names) {
    const faults = new UpstreamFaults(name, { seed, now });
    upstreamFaults.push(faults);
    const upstream = SANDBOX_UPSTREAMS[name];
    const instance = upstream.create({
      mountPath: `/${name}`,
      faults,
      seed,
      now,
      options: options.options?.[name] as never,
    }) as UpstreamInstance<unknown>;
    instances.set(name, instance);
  }
  const faults = new SandboxFaults(upstreamFaults);
  let url = "";
  const urlOf = (name: string) => `${url}/${name}`;
  const reset = (upstream?: Names) => {
    for (const name of upstream === undefined ? names : [upstream]) {
      instances.get(name)?.reset();
      faults.clear(name);
    }
  };
  const control = createControlHandlers({
    faults,
    upstreams: names,
    state: () => ({
      url,
      upstreams: Object.fromEntries(
        names.map((name) => [
          name,
          { url: urlOf(name), state: instances.get(name)?.summary(), faults: faults.list(name) },
        ]),
      ),
    }),
    reset: (upstream) => reset(upstream as Names | undefined),
  });
  const handlers = [...control, ...[...instances.values()].flatMap((instance) => instance.handlers)];
  const served = await serveMswHandlers({ handlers, port: options.port ?? 0, host });
  const postgres = await startSandboxPostgres(options.postgres).catch(async (error: unknown) => {
    await served.close();
    throw error;
  });
  url = served.url;
  const urls = Object.fromEntries(names.map((name) => [name, urlOf(name)])) as { [Name in Names]: string };
  const env = Object.assign(
    {},
    ...names.map((name) => instances.get(name)?.env(urlOf(name)) ?? {}),
  ) as Record<string, string>;
  if (postgres) env.DATABASE_URL = postgres.databaseUrl;
  const state = Object.fromEntries(names.map((name) => [name, instances.get(name)?.state])) as {
    [Name in Names]: SandboxUpstreamStates[Name];
  };
  return {
    url,
    port: served.port,
    urls,
    env,
    faults,
    state,
    handlers,
    server: served.server,
    postgres,
    reset,
    async close() {
      for (const upstream of upstreamFaults) upstream.releaseWaiting();
      await served.close();
      await postgres?.close();
    },
  };
}
