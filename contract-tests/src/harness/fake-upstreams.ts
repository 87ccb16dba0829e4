import type { IncomingMessage } from "node:http";
import {
  type SandboxUpstream,
  serveMswHandlers,
  startSandbox,
  UpstreamFaults,
  type UpstreamName,
} from "@switchyard/sandbox";
import { server } from "./msw-server.js";
import type { ContractTarget } from "./target.js";

/**
 * One fake upstream per scenario file, the same fake under both fake targets:
 *
 * - `mock`: the fake's MSW handlers answer in-process (through the worker's `setupServer`) at the real
 *   upstream's URL (`https://api.github.com`), so the connector is configured exactly as in production;
 * - `sandbox`: `startSandbox({ upstreams: [name] })` serves it on 127.0.0.1 (a fake the sandbox package does not
 *   register, like the demo upstream, is served with the sandbox's `serveMswHandlers`); MSW is not listening,
 *   the connector talks real HTTP.
 *
 * Either way the scenario gets the fake's environment (API URL, token), its switchable faults and live state,
 * and a log of the requests that reached it (to count writes).
 */

export type FakeTarget = Exclude<ContractTarget, "live">;

export interface FakeUpstreamDefinition<State = unknown> {
  /** The sandbox registry name (`github`, `slack`, `jira`, ...) or a local fake's name (`demo`). */
  readonly name: string;
  /** The real upstream's API root: the in-process fake answers there. */
  readonly liveBaseUrl: string;
  readonly upstream: SandboxUpstream<any, State>;
  /** Served by `startSandbox` (a registered sandbox upstream) rather than by `serveMswHandlers`. */
  readonly registered: boolean;
  /** Unregistered fakes over HTTP: where to mount them (default `/<name>`; `/` for the server's root). */
  readonly mountPath?: string;
  /**
   * Picks the variables the connector is built from out of the fake's environment (e.g. a static token
   * instead of the rotating one, so a fault hits the tool's request and not a token refresh).
   */
  readonly env?: (env: Readonly<Record<string, string>>) => Record<string, string>;
}

export interface LoggedRequest {
  readonly method: string;
  /** The path below the fake's base, with the query: `/repos/acme/api/issues?page=2`. */
  readonly path: string;
}

export interface RequestLog {
  readonly entries: readonly LoggedRequest[];
  /** Requests with this method (any when omitted) whose path (query stripped) matches `path`. */
  count(method?: string, path?: RegExp): number;
  clear(): void;
}

/** The fault switch of an upstream: the sandbox's `UpstreamFaults`, or the PostgreSQL TCP fault proxy. */
export interface FaultControl {
  /**
   * Replaces the faults. `scope` narrows them to one request (a non-idempotent write's): injections that can
   * tell requests apart use it (the PostgreSQL proxy hits the INSERT, not the catalog look-ups before it);
   * the sandbox's faults ignore it (the tools under test send one request per write).
   */
  set(spec: any, scope?: { readonly method: string; readonly path: RegExp }): unknown;
  list(): readonly { readonly id: number; readonly applied: number }[];
  clear(): void;
}

/** What the fault matrix and the write checks need of an upstream: faults, a request log, a reset. */
export interface FaultableUpstream {
  readonly target: FakeTarget;
  readonly env: Readonly<Record<string, string>>;
  readonly faults: FaultControl;
  readonly requests: RequestLog;
  /** Back to a clean state between cells (seeded data, no faults, an empty log). */
  reset(): void;
}

export interface FakeUpstream<State = unknown> extends FaultableUpstream {
  readonly name: string;
  readonly target: FakeTarget;
  /** The API root the connector is configured with. */
  readonly url: string;
  /** What a client needs, e.g. `{ GITHUB_API_URL, GITHUB_TOKEN }`. */
  readonly env: Readonly<Record<string, string>>;
  readonly faults: UpstreamFaults;
  readonly state: State;
  readonly requests: RequestLog;
  /** Back to the seeded data, no faults, an empty request log. */
  reset(): void;
}

export function createRequestLog(): RequestLog & { push(entry: LoggedRequest): void } {
  const entries: LoggedRequest[] = [];
  return {
    entries,
    push: (entry) => entries.push(entry),
    count(method, path) {
      return entries.filter(
        (entry) =>
          (method === undefined || entry.method === method.toUpperCase()) &&
          (path === undefined || path.test(entry.path.split("?")[0] ?? "")),
      ).length;
    },
    clear: () => {
      entries.length = 0;
    },
  };
}

/** Starts a fake for the target; `close()` stops it. Used by `useFakeUpstream` and the fault-matrix script. */
function pickEnv(
  definition: FakeUpstreamDefinition<unknown>,
  env: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  return definition.env ? definition.env(env) : env;
}

export type StartedFake<State> = FakeUpstream<State> & {
  close(): Promise<void>;
  readonly handlers: readonly unknown[];
};

export async function startFakeUpstream<State>(
  definition: FakeUpstreamDefinition<State>,
  target: FakeTarget,
): Promise<StartedFake<State>> {
  const log = createRequestLog();
  if (target === "mock") {
    const faults = new UpstreamFaults(definition.name);
    const base = definition.liveBaseUrl.replace(/\/$/, "");
    const instance = definition.upstream.create({
      mountPath: base,
      faults,
      seed: 1,
      now: Date.now,
      options: undefined,
    });
    const onStart = ({ request }: { request: Request }) => {
      if (request.url.startsWith(`${base}/`) || request.url === base) {
        log.push({ method: request.method, path: request.url.slice(base.length) || "/" });
      }
    };
    server.events.on("request:start", onStart);
    return {
      name: definition.name,
      target,
      url: base,
      env: pickEnv(definition, instance.env(base)),
      faults,
      state: instance.state,
      requests: log,
      handlers: instance.handlers,
      reset() {
        instance.reset();
        faults.clear();
        log.clear();
      },
      async close() {
        faults.clear();
        server.events.removeListener("request:start", onStart);
      },
    };
  }

  const mount = (definition.mountPath ?? `/${definition.name}`).replace(/\/+$/, "");
  const logIncoming = (request: IncomingMessage) => {
    const path = request.url ?? "/";
    if (mount === "" || path === mount || path.startsWith(`${mount}/`)) {
      log.push({ method: (request.method ?? "GET").toUpperCase(), path: path.slice(mount.length) || "/" });
    }
  };

  if (definition.registered) {
    const name = definition.name as UpstreamName;
    const sandbox = await startSandbox({ upstreams: [name] });
    sandbox.server.prependListener("request", logIncoming);
    const url = sandbox.urls[name];
    return {
      name: definition.name,
      target,
      url,
      env: pickEnv(definition, sandbox.env),
      faults: sandbox.faults.for(name),
      state: sandbox.state[name] as State,
      requests: log,
      handlers: sandbox.handlers,
      reset() {
        sandbox.reset(name);
        log.clear();
      },
      close: () => sandbox.close(),
    };
  }

  const faults = new UpstreamFaults(definition.name);
  const instance = definition.upstream.create({
    mountPath: mount || "/",
    faults,
    seed: 1,
    now: Date.now,
    options: undefined,
  });
  const served = await serveMswHandlers({ handlers: instance.handlers });
  served.server.prependListener("request", logIncoming);
  const url = `${served.url}${mount}`;
  return {
    name: definition.name,
    target,
    url,
    env: pickEnv(definition, instance.env(url)),
    faults,
    state: instance.state,
    requests: log,
    handlers: instance.handlers,
    reset() {
      instance.reset();
      faults.clear();
      log.clear();
    },
    async close() {
      faults.releaseWaiting();
      await served.close();
    },
  };
}
