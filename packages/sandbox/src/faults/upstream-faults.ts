import { relativeRouteRegExp } from "../routing/route-pattern.js";
import { type Random, seededRandom } from "../shared/seeded-random.js";
import { type FaultSpec, type FaultStatus, parseFaultSpec } from "./fault-spec.js";

export interface UpstreamFaultsOptions {
  /** Seed for `fraction` draws; default 1. */
  readonly seed?: number;
  /** Clock (epoch ms) for rate profiles and reset times; default Date.now. */
  readonly now?: () => number;
}

interface ActiveFault {
  readonly id: number;
  readonly spec: FaultSpec;
  readonly route: RegExp | undefined;
  readonly method: string | undefined;
  applied: number;
  remaining: number | null;
  /** rate_profile: arrival times (ms) of the requests let through in the last second. */
  readonly passed: number[];
}

/** What the fault layer decided for one request. */
export type FaultDecision =
  | { readonly type: "fault"; readonly spec: Exclude<FaultSpec, { kind: "rate_profile" }> }
  | { readonly type: "throttled"; readonly retryAfterSeconds: number };

const WINDOW_MS = 1000;

/** The switchable faults of one upstream. Faults are checked in the order they were added; the first that applies wins. */
export class UpstreamFaults {
  readonly upstream: string;
  readonly #now: () => number;
  readonly #seed: number;
  #random: Random;
  #faults: ActiveFault[] = [];
  #nextId = 1;
  readonly #waiting = new Set<() => void>();

  constructor(upstream: string, options: UpstreamFaultsOptions = {}) {
    this.upstream = upstream;
    this.#now = options.now ?? Date.now;
    this.#seed = options.seed ?? 1;
    this.#random = seededRandom(this.#seed);
  }

  /** Replaces this upstream's faults with `specs`. */
  set(specs: FaultSpec | readonly FaultSpec[]): FaultStatus[] {
    const list = Array.isArray(specs) ? specs : [specs as FaultSpec];
    const parsed = list.map(parseFaultSpec);
    this.clear();
    return parsed.map((spec) => this.#add(spec));
  }

  /** Adds one fault after the existing ones. */
  add(spec: FaultSpec): FaultStatus {
    return this.#add(parseFaultSpec(spec));
  }

  remove(id: number): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((fault) => fault.id !== id);
    return this.#faults.length !== before;
  }

  /** Removes every fault, lets requests held by a `timeout` fault end, and restarts the fraction draws. */
  clear(): void {
    this.#faults = [];
    this.#random = seededRandom(this.#seed);
    this.releaseWaiting();
  }

  list(): FaultStatus[] {
    return this.#faults.map((fault) => ({
      id: fault.id,
      spec: fault.spec,
      applied: fault.applied,
      remaining: fault.remaining,
    }));
  }

  /** Ends every request a `timeout` fault is holding (their connections are reset). */
  releaseWaiting(): void {
    for (const release of [...this.#waiting]) release();
    this.#waiting.clear();
  }

  /** Resolves when `signal` aborts or the faults are cleared: how a `timeout` fault holds a request. */
  holdUntilAborted(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        this.#waiting.delete(release);
        signal.removeEventListener("abort", release);
        resolve();
      };
      if (signal.aborted) {
        resolve();
        return;
      }
      this.#waiting.add(release);
      signal.addEventListener("abort", release, { once: true });
    });
  }

  now(): number {
    return this.#now();
  }

  /** Decides whether a request (method, path below the upstream's base) meets a fault; undefined: it does not. */
  decide(method: string, path: string): FaultDecision | undefined {
    const upper = method.toUpperCase();
    for (const fault of [...this.#faults]) {
      if (fault.method !== undefined && fault.method !== upper) continue;
      if (fault.route && !fault.route.test(path)) continue;
      const { spec } = fault;
      if (spec.kind === "rate_profile") {
        const now = this.#now();
        while (fault.passed.length > 0 && (fault.passed[0] as number) <= now - WINDOW_MS)
          fault.passed.shift();
        if (fault.passed.length < spec.requestsPerSecond) {
          fault.passed.push(now);
          continue;
        }
        const oldest = fault.passed[0] ?? now;
        this.#consume(fault);
        return {
          type: "throttled",
          retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)),
        };
      }
      if (spec.fraction !== undefined && this.#random() >= spec.fraction) continue;
      this.#consume(fault);
      return { type: "fault", spec };
    }
    return undefined;
  }

  #consume(fault: ActiveFault): void {
    fault.applied += 1;
    if (fault.remaining === null) return;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.remove(fault.id);
  }

  #add(spec: FaultSpec): FaultStatus {
    const fault: ActiveFault = {
      id: this.#nextId++,
      spec,
      route: spec.route === undefined ? undefined : relativeRouteRegExp(spec.route),
      method: spec.method?.toUpperCase(),
      applied: 0,
      remaining: spec.count ?? null,
      passed: [],
    };
    this.#faults.push(fault);
    return { id: fault.id, spec, applied: 0, remaining: fault.remaining };
  }
}
