/** When an upstream's circuit opens, and for how long. */
export interface CircuitBreakerSpec {
  /** Open after this many retryable failures in a row. Default 5. */
  readonly consecutiveFailures?: number;
  /**
   * Also open when this share of calls fails within the window (needs some traffic: `minimumRps`).
   * Off unless given.
   */
  readonly failureRate?: {
    readonly threshold: number;
    readonly windowMs: number;
    readonly minimumRps?: number;
  };
  /** How long the circuit stays open before one probe call may try again. Default 10 s. */
  readonly halfOpenAfterMs?: number;
  /** Keep one circuit per credential (upstreams that fail per credential); default one per upstream. */
  readonly perCredential?: boolean;
}

/** How many calls one upstream may have in progress, and how many may wait for a slot. */
export interface BulkheadSpec {
  /** Calls in progress at once. Default 32. */
  readonly maxConcurrent?: number;
  /** Calls waiting for a slot (each within its own deadline). Default 256. */
  readonly maxQueued?: number;
}

export interface ResilienceOptions {
  /** `false` turns the breaker off. */
  readonly circuitBreaker?: CircuitBreakerSpec | false;
  /** `false` turns the bulkhead off. */
  readonly bulkhead?: BulkheadSpec | false;
}

/** Failures that say the upstream itself is in trouble; caller mistakes and rate limits never trip a breaker. */
export const BREAKER_FAILURE_CODES: ReadonlySet<string> = new Set([
  "upstream_unavailable",
  "network",
  "timeout",
]);
