import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { sleep } from "../deadline/deadline.js";
import { raceSignal } from "../deadline/race-signal.js";
import { ConnectorError } from "../errors/connector-error.js";
import type { RedisHandle } from "../redis/redis-connection.js";
import type { BucketBudget, BucketSpec, BucketSpecs } from "./bucket-spec.js";

export interface RateLimiterOptions {
  /** Usually the connector id; part of every key. */
  readonly namespace: string;
  readonly buckets: BucketSpecs;
  /** Share buckets (and pauses) with every process using the same Redis, namespace and credential. */
  readonly redis?: RedisHandle | undefined;
  /** Longest spacing paced calls get when the upstream budget runs low. Default 10 s. */
  readonly maxPacingMs?: number;
  readonly now?: () => number;
}

export interface ScheduleOptions {
  readonly bucket: string;
  /** Credential key plus optional sub-key: one budget per value. */
  readonly key: string;
  /**
   * A wider key whose pauses and budget also apply (the credential, when `key` is one channel of it):
   * upstream headers describe the credential's budget, not the channel's.
   */
  readonly parentKey?: string | undefined;
  readonly signal: AbortSignal;
  readonly deadlineAt: number;
  /** Told how long the call waited, when it starts (also for calls that then fail). */
  readonly onStart?: ((waitedMs: number) => void) | undefined;
}

export interface Scheduled<Result> {
  readonly value: Result;
  /** Time spent waiting for the limiter (gates, spacing, queue). */
  readonly waitedMs: number;
}

export interface BucketState extends BucketBudget {
  readonly bucket: string;
  /** Epoch ms until which the bucket is paused by an upstream 429 or an exhausted budget. */
  readonly pausedUntil?: number | undefined;
}

const SKIPPED = Symbol("skipped");

/**
 * Client-side rate limiting on bottleneck, one limiter per (bucket, key). Upstream headers feed it, so calls
 * slow down before the upstream says 429, and a 429's Retry-After pauses every caller of that bucket, not just
 * the one that saw it (no retry storm). With Redis, limits and pauses are shared across processes.
 */
export class RateLimiter {
  private readonly groups = new Map<string, Bottleneck.Group>();
  private readonly budgets = new Map<string, BucketBudget>();
  private readonly gates = new Map<string, number>();
  private readonly connection: Bottleneck.IORedisConnection | undefined;
  private readonly now: () => number;
  private readonly maxPacingMs: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.maxPacingMs = options.maxPacingMs ?? 10_000;
    this.connection = options.redis
      ? new Bottleneck.IORedisConnection({ client: options.redis.client, Redis })
      : undefined;
    // A Redis hiccup must surface as a failed call, not an unhandled 'error' event.
    this.connection?.on("error", () => {});
  }

  hasBucket(bucket: string): boolean {
    return bucket in this.options.buckets;
  }

  async schedule<Result>(options: ScheduleOptions, run: () => Promise<Result>): Promise<Scheduled<Result>> {
    const started = this.now();
    await this.waitForGate(options);
    const limiter = this.group(options.bucket).key(options.key);
    let waitedMs = 0;
    const job = limiter.schedule(async () => {
      if (options.signal.aborted) return SKIPPED;
      // A 429 seen while this call was queued pauses it too: check again right before sending.
      await this.waitForGate(options);
      waitedMs = this.now() - started;
      options.onStart?.(waitedMs);
      return run();
    });
    // A job that fails after its caller gave up must not become an unhandled rejection.
    job.catch(() => {});
    const value = await raceSignal(job, options.signal);
    if (value === SKIPPED) throw options.signal.reason;
    return { value: value as Result, waitedMs };
  }

  /** Feeds what the upstream said about the remaining budget (rate-limit headers). */
  observe(bucket: string, key: string, budget: BucketBudget): void {
    const id = stateKey(bucket, key);
    this.budgets.set(id, budget);
    const { remaining, limit, resetAt } = budget;
    if (remaining === undefined || resetAt === undefined) return;
    const untilReset = resetAt - this.now();
    if (untilReset <= 0) return;
    if (remaining <= 0) {
      this.pauseUntil(bucket, key, resetAt);
      return;
    }
    const spec = this.spec(bucket);
    const share = spec.paceBelowShare ?? 0.1;
    const baseMinTime = spec.minTimeMs ?? 0;
    const low = limit !== undefined ? remaining < limit * share : false;
    const minTime = low
      ? Math.min(this.maxPacingMs, Math.max(baseMinTime, Math.ceil(untilReset / remaining)))
      : baseMinTime;
    // updateSettings returns the limiter, not a promise; in Redis mode failures surface on the 'error' event.
    // Integer milliseconds: bottleneck's Redis scripts misbehave with fractional spacing.
    this.group(bucket)
      .key(key)
      .updateSettings({ minTime: Math.ceil(minTime) });
  }

  /** Holds every call of a bucket until `untilMs` (a 429's Retry-After, an exhausted budget). */
  pauseUntil(bucket: string, key: string, untilMs: number): void {
    const id = stateKey(bucket, key);
    if ((this.gates.get(id) ?? 0) >= untilMs) return;
    this.gates.set(id, untilMs);
    const redis = this.options.redis;
    if (redis) {
      const ttl = Math.max(1, untilMs - this.now());
      void redis.client.set(this.gateKey(id), String(untilMs), "PX", ttl).catch(() => {});
    }
  }

  /** What is known of a bucket's budget, for call metadata (the parent's budget when the key has none). */
  state(bucket: string, key: string, parentKey?: string): BucketState {
    const ids = [stateKey(bucket, key), ...(parentKey ? [stateKey(bucket, parentKey)] : [])];
    const budget = ids.map((id) => this.budgets.get(id)).find((entry) => entry !== undefined) ?? {};
    const gate = Math.max(0, ...ids.map((id) => this.gates.get(id) ?? 0));
    return { bucket, ...budget, ...(gate > this.now() ? { pausedUntil: gate } : {}) };
  }

  async close(): Promise<void> {
    await Promise.all([...this.groups.values()].map((group) => group.disconnect(false)));
    this.groups.clear();
  }

  private async waitForGate(options: ScheduleOptions): Promise<void> {
    const ids = [options.key, ...(options.parentKey ? [options.parentKey] : [])].map((key) =>
      stateKey(options.bucket, key),
    );
    let until = Math.max(0, ...ids.map((id) => this.gates.get(id) ?? 0));
    const redis = this.options.redis;
    if (redis) {
      const shared = await redis.client.mget(...ids.map((id) => this.gateKey(id))).catch(() => []);
      for (const value of shared) if (value) until = Math.max(until, Number(value));
    }
    const waitMs = until - this.now();
    if (waitMs <= 0) return;
    if (this.now() + waitMs > options.deadlineAt) {
      throw new ConnectorError({
        code: "rate_limited",
        message: `The ${options.bucket} rate limit is exhausted for ${Math.ceil(waitMs / 1000)} s more, longer than this call's deadline.`,
        retryAfterMs: waitMs,
        notApplied: true,
      });
    }
    await sleep(waitMs, options.signal);
  }

  private spec(bucket: string): BucketSpec {
    const spec = this.options.buckets[bucket];
    if (!spec) {
      throw new ConnectorError({
        code: "internal",
        message: `Rate-limit bucket "${bucket}" is not declared by connector ${this.options.namespace}.`,
      });
    }
    return spec;
  }

  private group(bucket: string): Bottleneck.Group {
    const existing = this.groups.get(bucket);
    if (existing) return existing;
    const spec = this.spec(bucket);
    const group = new Bottleneck.Group({
      maxConcurrent: spec.maxConcurrent ?? null,
      minTime: Math.ceil(spec.minTimeMs ?? 0),
      ...(spec.reservoir
        ? {
            reservoir: spec.reservoir.amount,
            reservoirRefreshAmount: spec.reservoir.amount,
            reservoirRefreshInterval: spec.reservoir.intervalMs,
          }
        : {}),
      ...(this.connection
        ? {
            id: `${this.options.redis?.prefix}:limiter:${this.options.namespace}:${bucket}`,
            datastore: "ioredis",
            connection: this.connection,
          }
        : {}),
    });
    group.on("error", () => {});
    this.groups.set(bucket, group);
    return group;
  }

  private gateKey(id: string): string {
    return `${this.options.redis?.prefix}:gate:${this.options.namespace}:${id}`;
  }
}

function stateKey(bucket: string, key: string): string {
  return `${bucket}:${key}`;
}
