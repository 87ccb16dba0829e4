import type { FaultSpec, FaultStatus } from "./fault-spec.js";
import type { UpstreamFaults } from "./upstream-faults.js";

export class UnknownUpstreamError extends TypeError {
  override readonly name = "UnknownUpstreamError";
}

/** The faults of every upstream a sandbox serves, addressed by upstream name: `faults.set("github", {...})`. */
export class SandboxFaults {
  readonly #upstreams: ReadonlyMap<string, UpstreamFaults>;

  constructor(upstreams: Iterable<UpstreamFaults>) {
    this.#upstreams = new Map([...upstreams].map((faults) => [faults.upstream, faults]));
  }

  /** Names of the upstreams whose faults this controls. */
  get upstreams(): string[] {
    return [...this.#upstreams.keys()];
  }

  /** One upstream's fault controller. */
  for(upstream: string): UpstreamFaults {
    const faults = this.#upstreams.get(upstream);
    if (!faults) {
      throw new UnknownUpstreamError(
        `This sandbox serves no upstream "${upstream}" (it serves ${this.upstreams.join(", ") || "none"}).`,
      );
    }
    return faults;
  }

  /** Replaces an upstream's faults. */
  set(upstream: string, specs: FaultSpec | readonly FaultSpec[]): FaultStatus[] {
    return this.for(upstream).set(specs);
  }

  /** Adds a fault after an upstream's existing ones. */
  add(upstream: string, spec: FaultSpec): FaultStatus {
    return this.for(upstream).add(spec);
  }

  /** Clears one upstream's faults, or every upstream's. */
  clear(upstream?: string): void {
    if (upstream !== undefined) this.for(upstream).clear();
    else for (const faults of this.#upstreams.values()) faults.clear();
  }

  list(upstream: string): FaultStatus[] {
    return this.for(upstream).list();
  }

  /** Every upstream's active faults. */
  all(): Record<string, FaultStatus[]> {
    return Object.fromEntries([...this.#upstreams].map(([name, faults]) => [name, faults.list()]));
  }
}
