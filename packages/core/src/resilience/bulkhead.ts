import { BulkheadPolicy, BulkheadRejectedError, TaskCancelledError } from "cockatiel";
import { raceSignal } from "../deadline/race-signal.js";
import { ConnectorError } from "../errors/connector-error.js";
import type { BulkheadSpec } from "./circuit-breaker-spec.js";

export interface BulkheadLoad {
  readonly executing: number;
  readonly queued: number;
  readonly maxConcurrent: number;
  readonly maxQueued: number;
}

/**
 * Caps the calls one upstream may have in progress (cockatiel's bulkhead), so a slow upstream holds at most
 * its own slots and cannot exhaust the process for the others. Excess calls wait in a bounded queue within
 * their own deadline; when the queue is full they fail at once with a typed error.
 */
export class Bulkhead {
  private readonly policy: BulkheadPolicy;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;

  constructor(
    private readonly upstream: string,
    spec: BulkheadSpec,
  ) {
    this.maxConcurrent = spec.maxConcurrent ?? 32;
    this.maxQueued = spec.maxQueued ?? 256;
    this.policy = new BulkheadPolicy(this.maxConcurrent, this.maxQueued);
  }

  async run<Result>(signal: AbortSignal, attempt: () => Promise<Result>): Promise<Result> {
    try {
      // raceSignal: a call still queued when its deadline passes stops waiting at once.
      return await raceSignal(
        this.policy.execute(() => attempt(), signal),
        signal,
      );
    } catch (error) {
      if (error instanceof BulkheadRejectedError) {
        throw new ConnectorError({
          code: "upstream_unavailable",
          fault: "connector",
          message: `Too many calls to ${this.upstream} in progress (${this.maxConcurrent} running, ${this.maxQueued} waiting).`,
          hint: "The connector is saturated by other calls; retry shortly.",
          retryAfterMs: 1000,
          notApplied: true,
          details: { bulkhead: "full" },
        });
      }
      if (error instanceof TaskCancelledError && signal.aborted) throw signal.reason;
      throw error;
    }
  }

  load(): BulkheadLoad {
    return {
      executing: this.maxConcurrent - this.policy.executionSlots,
      queued: this.maxQueued - this.policy.queueSlots,
      maxConcurrent: this.maxConcurrent,
      maxQueued: this.maxQueued,
    };
  }
}
