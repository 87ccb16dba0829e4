import type { RequestHandler } from "msw";
import type { UpstreamFaults } from "./faults/upstream-faults.js";

/**
 * What a fake upstream gives the sandbox server. Each upstream lives in `src/<name>/` and is registered in
 * `src/upstreams.ts`; the server mounts it at `/<name>` and routes its faults through `faults`.
 */
export interface UpstreamInstance<State> {
  /** MSW handlers answering under the mount path (faults first, a JSON 404 last). */
  readonly handlers: readonly RequestHandler[];
  /** The upstream's data, for tests and for `GET /__sandbox/state` (`summary()`). */
  readonly state: State;
  /** A small JSON-able picture of the state for `GET /__sandbox/state`. */
  summary(): unknown;
  /** Environment variables a client (a connector, the CLI) needs to use this upstream at `url`. */
  env(url: string): Record<string, string>;
  /** Back to the seeded data; rate-limit counters too. (The sandbox clears faults itself.) */
  reset(): void;
}

export interface UpstreamSetup<Options> {
  /** Where the server mounts the upstream, e.g. `/github`; handlers must answer on any origin under it. */
  readonly mountPath: string;
  /** The upstream's fault controller (owned by the sandbox; `sandbox.faults.for(name)`). */
  readonly faults: UpstreamFaults;
  /** Seed for deterministic data. */
  readonly seed: number;
  /** Clock (epoch ms). */
  readonly now: () => number;
  /** Upstream-specific options from `startSandbox({ [name]: options })`. */
  readonly options: Options | undefined;
}

export interface SandboxUpstream<Options, State> {
  readonly name: string;
  create(setup: UpstreamSetup<Options>): UpstreamInstance<State>;
}
