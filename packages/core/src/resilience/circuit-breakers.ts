import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type IPolicy,
  SamplingBreaker,
  wrap,
} from "cockatiel";
import { ConnectorError } from "../errors/connector-error.js";
import { type RedisHandle, type RedisHandleSource, redisHandle } from "../redis/redis-connection.js";
import { BREAKER_FAILURE_CODES, type CircuitBreakerSpec } from "./circuit-breaker-spec.js";

export type CircuitStateName = "closed" | "open" | "half-open";

export interface CircuitStatus {
  readonly key: string;
  readonly state: CircuitStateName;
  /** Epoch ms until which calls fail fast, when open. */
  readonly openUntil?: number | undefined;
}

export interface CircuitBreakersOptions {
  readonly namespace: string;
  readonly spec: CircuitBreakerSpec;
  /**
   * Shares "open" across processes: one process seeing the upstream fail spares the others the wait. A handle,
   * or one still being opened (`connectRedis`).
   */
  readonly redis?: RedisHandleSource | undefined;
  readonly now?: () => number;
  readonly onStateChange?: (status: CircuitStatus) => void;
}

interface Circuit {
  readonly policy: IPolicy;
  readonly breakers: CircuitBreakerPolicy[];
  openUntil: number;
}

const CIRCUIT_DETAIL = "open";

/** True for the fail-fast error of an open circuit: it must not be retried within the same call. */
export function isCircuitOpenError(error: ConnectorError): boolean {
  return error.details?.circuit === CIRCUIT_DETAIL;
}

/**
 * One circuit breaker per upstream (or per credential), on cockatiel. After repeated upstream failures (or a
 * failure rate over a window) the circuit opens and calls fail fast with `upstream_unavailable` and the time
 * until the next probe, instead of each call waiting through its own retries; a successful half-open probe
 * closes it again.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();
  private readonly now: () => number;
  private readonly halfOpenAfterMs: number;
  private readonly redis: Promise<RedisHandle> | undefined;

  constructor(private readonly options: CircuitBreakersOptions) {
    this.now = options.now ?? Date.now;
    this.halfOpenAfterMs = options.spec.halfOpenAfterMs ?? 10_000;
    this.redis = redisHandle(options.redis);
  }

  /** Runs one upstream attempt through the circuit. `attempt` must throw ConnectorErrors. */
  async run<Result>(key: string, signal: AbortSignal, attempt: () => Promise<Result>): Promise<Result> {
    const circuit = this.circuit(key);
    const sharedUntil = await this.sharedOpenUntil(key);
    if (sharedUntil > this.now() && this.state(key).state !== "half-open")
      throw this.openError(key, sharedUntil);
    try {
      return await circuit.policy.execute(() => attempt(), signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw this.openError(key, Math.max(circuit.openUntil, this.now() + 1));
      }
      throw error;
    }
  }

  state(key: string): CircuitStatus {
    const circuit = this.circuits.get(key);
    if (!circuit) return { key, state: "closed" };
    const states = circuit.breakers.map((breaker) => breaker.state);
    if (states.includes(CircuitState.Open) || states.includes(CircuitState.Isolated)) {
      return { key, state: "open", openUntil: circuit.openUntil };
    }
    if (states.includes(CircuitState.HalfOpen)) return { key, state: "half-open" };
    return { key, state: "closed" };
  }

  /** The circuit as every process sees it: this process's breaker, or an "open" another one published. */
  async inspect(key: string): Promise<CircuitStatus> {
    const local = this.state(key);
    if (local.state !== "closed") return local;
    const sharedUntil = await this.sharedOpenUntil(key);
    return sharedUntil > this.now() ? { key, state: "open", openUntil: sharedUntil } : local;
  }

  /** Every circuit this process knows, for doctor and metrics. */
  all(): CircuitStatus[] {
    return [...this.circuits.keys()].map((key) => this.state(key));
  }

  private openError(key: string, openUntil: number): ConnectorError {
    const waitMs = Math.max(1, openUntil - this.now());
    return new ConnectorError({
      code: "upstream_unavailable",
      message: `The ${this.options.namespace} upstream is failing repeatedly; calls are paused for ${Math.ceil(waitMs / 1000)} s (circuit open).`,
      hint: "The upstream is down or degraded. Wait retryAfterMs before calling again; other calls fail fast meanwhile.",
      retryAfterMs: waitMs,
      notApplied: true,
      details: { circuit: CIRCUIT_DETAIL, key },
    });
  }

  private circuit(key: string): Circuit {
    const existing = this.circuits.get(key);
    if (existing) return existing;
    const { spec } = this.options;
    const failing = handleWhen(
      // A caller-caused failure (a query that ran into its own statement_timeout) says nothing about the
      // upstream's health and must not pause every other caller.
      (error) =>
        ConnectorError.isInstance(error) && BREAKER_FAILURE_CODES.has(error.code) && error.fault !== "caller",
    );
    const breakers: CircuitBreakerPolicy[] = [
      circuitBreaker(failing, {
        halfOpenAfter: this.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(spec.consecutiveFailures ?? 5),
      }),
    ];
    if (spec.failureRate) {
      breakers.push(
        circuitBreaker(failing, {
          halfOpenAfter: this.halfOpenAfterMs,
          breaker: new SamplingBreaker({
            threshold: spec.failureRate.threshold,
            duration: spec.failureRate.windowMs,
            ...(spec.failureRate.minimumRps === undefined ? {} : { minimumRps: spec.failureRate.minimumRps }),
          }),
        }),
      );
    }
    const circuit: Circuit = {
      policy: breakers.length === 1 ? (breakers[0] as CircuitBreakerPolicy) : wrap(...breakers),
      breakers,
      openUntil: 0,
    };
    for (const breaker of breakers) {
      breaker.onBreak(() => {
        circuit.openUntil = this.now() + this.halfOpenAfterMs;
        this.publishOpen(key, circuit.openUntil);
        this.options.onStateChange?.(this.state(key));
      });
      breaker.onReset(() => {
        circuit.openUntil = 0;
        this.publishClosed(key);
        this.options.onStateChange?.(this.state(key));
      });
      breaker.onHalfOpen(() => this.options.onStateChange?.(this.state(key)));
    }
    this.circuits.set(key, circuit);
    return circuit;
  }

  private redisKey(redis: RedisHandle, key: string): string {
    return `${redis.prefix}:circuit:${this.options.namespace}:${key}`;
  }

  private async sharedOpenUntil(key: string): Promise<number> {
    if (!this.redis) return 0;
    // Like a failed read, a handle that could not be opened shares nothing (diagnose() must never throw).
    const redis = await this.redis.catch(() => undefined);
    if (!redis) return 0;
    const value = await redis.client.get(this.redisKey(redis, key)).catch(() => null);
    return value ? Number(value) : 0;
  }

  private publishOpen(key: string, until: number): void {
    const ttl = Math.max(1, until - this.now());
    this.redis
      ?.then((redis) => redis.client.set(this.redisKey(redis, key), String(until), "PX", ttl))
      .catch(() => {});
  }

  private publishClosed(key: string): void {
    this.redis?.then((redis) => redis.client.del(this.redisKey(redis, key))).catch(() => {});
  }
}
