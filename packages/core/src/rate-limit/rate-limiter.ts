// bottleneck is imported (dynamically) the first time a Redis bucket is used: in process it is never loaded.
import type Bottleneck from "bottleneck";
import type { Redis } from "ioredis";
import { sleep } from "../deadline/deadline.js";
import { raceSignal } from "../deadline/race-signal.js";
import { ConnectorError } from "../errors/connector-error.js";
import { endOf, type RedisHandle, type RedisHandleSource, redisHandle } from "../redis/redis-connection.js";
import type { BucketBudget, BucketSpec, BucketSpecs } from "./bucket-spec.js";
import { type BucketRequest, LocalBucket } from "./local-bucket.js";

export interface RateLimiterOptions {
  /** Usually the connector id; part of every key. */
  readonly namespace: string;
  readonly buckets: BucketSpecs;
  /**
   * Share buckets (and pauses) with every process using the same Redis, namespace and credential. A handle,
   * or one still being opened (`connectRedis`): the limiter waits for it on first use.
   */
  readonly redis?: RedisHandleSource | undefined;
  /** Longest spacing paced calls get when the upstream budget runs low. Default 10 s. */
  readonly maxPacingMs?: number;
  /**
   * The epoch clock (default `Date.now`). When given, in-process buckets also measure spacing and windows on
   * it (tests); by default they use `performance.now()`, which is monotonic and finer than a millisecond.
   */
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

/** Redis mode, once the handle is open and bottleneck loaded. */
interface RedisShared {
  readonly handle: RedisHandle;
  readonly Bottleneck: typeof Bottleneck;
  readonly connection: Bottleneck.IORedisConnection;
  /** The client bottleneck runs on (its subscriber is made from it): the limiter's own, not the handle's. */
  readonly client: Redis;
}

/** Keys kept in process before idle ones are forgotten (then twice as many as are left, and so on). */
const SWEEP_AT = 1024;

function closedError(): ConnectorError {
  return new ConnectorError({
    code: "cancelled",
    message: "The connector was closed while this call waited for its rate limit.",
  });
}

/**
 * A call that cannot start before its deadline. Its `retryAfterMs` is this call's own wait (it may be far back
 * in the queue), so it must not pause the bucket the way an upstream's 429 does: `schedule` raises it outside
 * the scheduled function, where the pipeline sets its pauses.
 */
function limiterRefusal(bucket: string, waitMs: number): ConnectorError {
  return new ConnectorError({
    code: "rate_limited",
    message: `The ${bucket} rate limit is exhausted for ${Math.ceil(waitMs / 1000)} s more, longer than this call's deadline.`,
    retryAfterMs: Math.ceil(waitMs),
    notApplied: true,
  });
}

/**
 * Client-side rate limiting, one budget per (bucket, key). Upstream headers feed it, so calls slow down before
 * the upstream says 429, and a 429's Retry-After pauses every caller of that bucket, not just the one that saw
 * it (no retry storm).
 *
 * In process, each key runs on core's own scheduler (`LocalBucket`: sliding window on actual start times, no
 * timer when a call can start at once). With Redis, limits and pauses are shared across processes through
 * bottleneck's ioredis datastore, whose Lua scripts keep one budget for every process.
 *
 * Redis connections: the handle's client belongs to whoever opened the handle, and is used here only for
 * pauses. Bottleneck gets a client of its own (a duplicate, opened with the first Redis bucket), from which it
 * opens its subscriber; the limiter owns both and closes both in `close()`, which never touches the handle's.
 * Bottleneck itself is loaded then too, so a process without Redis never evaluates it.
 */
export class RateLimiter {
  /** Redis mode: bottleneck groups, one per bucket. */
  private readonly groups = new Map<string, Bottleneck.Group>();
  /** In-process mode: one scheduler per (bucket, key). */
  private readonly locals = new Map<string, LocalBucket>();
  private sweepAt = SWEEP_AT;
  private readonly budgets = new Map<string, BucketBudget>();
  private readonly gates = new Map<string, number>();
  /** Redis mode: the handle, undefined in process. */
  private readonly redis: Promise<RedisHandle> | undefined;
  /** Redis mode: bottleneck and its connection, on a client owned here; set up on first use. */
  private shared: Promise<RedisShared> | undefined;
  /** Fires on `close()`: calls still waiting in a Redis queue stop waiting. */
  private readonly closer = new AbortController();
  private closing: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly tick: () => number;
  private readonly maxPacingMs: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.tick = options.now ?? (() => performance.now());
    this.maxPacingMs = options.maxPacingMs ?? 10_000;
    this.redis = redisHandle(options.redis);
  }

  hasBucket(bucket: string): boolean {
    return bucket in this.options.buckets;
  }

  async schedule<Result>(options: ScheduleOptions, run: () => Promise<Result>): Promise<Scheduled<Result>> {
    if (!this.redis) return this.scheduleLocal(options, run);
    if (this.closer.signal.aborted) throw closedError();
    const started = this.now();
    await this.waitForGate(options);
    const shared = await raceSignal(this.redisShared(), options.signal);
    if (this.closer.signal.aborted) throw closedError();
    const limiter = this.group(options.bucket, shared).key(options.key);
    let waitedMs = 0;
    let markStarted!: () => void;
    const startedRun = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const job = limiter.schedule(async () => {
      if (options.signal.aborted || this.closer.signal.aborted) return SKIPPED;
      // A 429 seen while this call was queued pauses it too: check again right before sending.
      await this.waitForGate(options);
      waitedMs = this.now() - started;
      markStarted();
      options.onStart?.(waitedMs);
      return run();
    });
    // A job that fails after its caller gave up must not become an unhandled rejection.
    job.catch(() => {});
    // The wait for a turn is bounded by the call's deadline and by the limiter's life (close() ends every
    // wait at once); once started, the call is bounded by its deadline only, as in process.
    await raceSignal(raceSignal(Promise.race([startedRun, job]), this.closer.signal), options.signal);
    const value = await raceSignal(job, options.signal);
    if (value === SKIPPED) throw options.signal.aborted ? options.signal.reason : closedError();
    return { value: value as Result, waitedMs };
  }

  /**
   * In process: the call starts synchronously when its key has room, otherwise waits in the key's FIFO queue.
   * A pause (429, spent budget) holds the calls still queued; ones already started are not its business.
   */
  private async scheduleLocal<Result>(
    options: ScheduleOptions,
    run: () => Promise<Result>,
  ): Promise<Scheduled<Result>> {
    const id = stateKey(options.bucket, options.key);
    const bucket = this.local(options.bucket, id);
    const started = this.now();
    const parentId = options.parentKey ? stateKey(options.bucket, options.parentKey) : undefined;
    const request: BucketRequest = {
      signal: options.signal,
      deadlineAt: options.deadlineAt,
      pausedUntil: () =>
        Math.max(this.gates.get(id) ?? 0, parentId === undefined ? 0 : (this.gates.get(parentId) ?? 0)),
      refuse: (waitMs) => limiterRefusal(options.bucket, waitMs),
    };
    if (!bucket.tryStart(request)) await bucket.wait(request);
    const waitedMs = this.now() - started;
    // The slot is held until the call itself settles, even when its caller stops waiting for it earlier: the
    // request may still be in flight upstream.
    const job = runHoldingSlot(bucket, () => {
      options.onStart?.(waitedMs);
      return run();
    });
    const value = await raceSignal(job, options.signal);
    return { value, waitedMs };
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
    if (!this.redis) {
      this.local(bucket, id).setMinTime(minTime);
      return;
    }
    if (this.closer.signal.aborted) return;
    // Integer milliseconds: bottleneck's Redis scripts misbehave with fractional spacing. Its typings say
    // updateSettings returns the limiter; 2.19.5 returns a promise, which rejects when Redis fails (or the
    // limiter closes before this key's limiter is set up). Pacing is best effort: never an unhandled rejection.
    this.redisShared().then(
      (shared) => {
        if (this.closer.signal.aborted) return;
        const updating: unknown = this.group(bucket, shared)
          .key(key)
          .updateSettings({ minTime: Math.ceil(minTime) });
        if (updating instanceof Promise) updating.catch(() => {});
      },
      () => {},
    );
  }

  /** Holds every call of a bucket until `untilMs` (a 429's Retry-After, an exhausted budget). */
  pauseUntil(bucket: string, key: string, untilMs: number): void {
    const id = stateKey(bucket, key);
    if ((this.gates.get(id) ?? 0) >= untilMs) return;
    this.gates.set(id, untilMs);
    if (this.redis) {
      const ttl = Math.max(1, untilMs - this.now());
      this.redis
        .then((redis) => redis.client.set(this.gateKey(redis, id), String(untilMs), "PX", ttl))
        .catch(() => {});
      return;
    }
    // Queued calls of this key, or of its sub-keys (whose callers name it as their parent), are held from now
    // on; those whose deadline comes before the pause ends are refused at once. Pauses are rare: look at all.
    for (const local of this.locals.values()) local.wake();
  }

  /** What is known of a bucket's budget, for call metadata (the parent's budget when the key has none). */
  state(bucket: string, key: string, parentKey?: string): BucketState {
    const ids = [stateKey(bucket, key), ...(parentKey ? [stateKey(bucket, parentKey)] : [])];
    const budget = ids.map((id) => this.budgets.get(id)).find((entry) => entry !== undefined) ?? {};
    const gate = Math.max(0, ...ids.map((id) => this.gates.get(id) ?? 0));
    return { bucket, ...budget, ...(gate > this.now() ? { pausedUntil: gate } : {}) };
  }

  /**
   * Refuses the calls still waiting (`cancelled`) and, in Redis mode, closes bottleneck's connection (never the
   * handle's client). Idempotent: every call after the first returns the first one's promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const closed = closedError();
    this.closer.abort(closed);
    for (const local of this.locals.values()) local.close(closed);
    this.locals.clear();
    for (const group of this.groups.values()) {
      // Bottleneck's cleanup timer is unref'd but never stopped (Group.disconnect leaves a shared connection
      // alone): it would run scripts on the closed connection every few minutes, and keep the group alive.
      clearInterval((group as unknown as { interval?: ReturnType<typeof setInterval> }).interval);
    }
    this.groups.clear();
    // A setup still under way sees the closer and opens nothing; one that finished is closed here.
    const shared = await this.shared?.catch(() => undefined);
    if (!shared) return;
    const { client, connection } = shared;
    const ended = client.status === "ready" ? endOf(client) : undefined;
    // Stops the limiters' heartbeats and closes bottleneck's client and the subscriber it made from it, once.
    // Not with QUIT (`disconnect(true)`): with a limiter still subscribing and registering, it was seen to
    // reject with "Connection is closed", and falling back to `disconnect(false)` then ends sockets already
    // closed, which ioredis holds open on a 2 s timer. Ending the socket still lets Redis run the scripts
    // already written to it (a finished job's `free`), so the shared counts stay right; only their replies are
    // not waited for, and later commands fail at once (bottleneck catches its own).
    await connection.disconnect(false);
    await ended;
  }

  private async waitForGate(options: ScheduleOptions): Promise<void> {
    const ids = [options.key, ...(options.parentKey ? [options.parentKey] : [])].map((key) =>
      stateKey(options.bucket, key),
    );
    let until = Math.max(0, ...ids.map((id) => this.gates.get(id) ?? 0));
    if (this.redis) {
      const redis = await raceSignal(this.redis, options.signal);
      const shared = await redis.client.mget(...ids.map((id) => this.gateKey(redis, id))).catch(() => []);
      for (const value of shared) if (value) until = Math.max(until, Number(value));
    }
    const waitMs = until - this.now();
    if (waitMs <= 0) return;
    if (this.now() + waitMs > options.deadlineAt) throw limiterRefusal(options.bucket, waitMs);
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

  /** The in-process scheduler of one (bucket, key), `id` being their state key. */
  private local(bucket: string, id: string): LocalBucket {
    const existing = this.locals.get(id);
    if (existing) return existing;
    const spec = this.spec(bucket);
    if (this.locals.size >= this.sweepAt) this.sweep();
    const created = new LocalBucket(spec, this.now, this.tick);
    this.locals.set(id, created);
    return created;
  }

  /** Forgets keys that hold nothing any more (one per credential and channel adds up in a long-lived server). */
  private sweep(): void {
    const now = this.now();
    for (const [id, local] of this.locals) if (local.idle()) this.locals.delete(id);
    for (const [id, until] of this.gates) if (until <= now) this.gates.delete(id);
    this.sweepAt = Math.max(SWEEP_AT, this.locals.size * 2);
  }

  /**
   * Redis mode: waits for the handle, loads bottleneck (once) and opens its connection on a client of its own
   * (see the class comment). Never after close(): it would open a connection nobody closes.
   */
  private redisShared(): Promise<RedisShared> {
    if (this.shared) return this.shared;
    this.shared = (async () => {
      const [handle, module] = await Promise.all([this.redis as Promise<RedisHandle>, import("bottleneck")]);
      if (this.closer.signal.aborted) throw closedError();
      const client = handle.client.duplicate();
      // A Redis hiccup must surface as a failed call, not an unhandled 'error' event (bottleneck adds its own
      // listener only once its connection is set up).
      client.on("error", () => {});
      // `Redis`: bottleneck would otherwise `require("ioredis")` itself (impossible in an ES module bundle);
      // the client's own class is the ioredis copy the handle uses.
      const connection = new module.default.IORedisConnection({
        client,
        Redis: client.constructor as typeof Redis,
      });
      connection.on("error", () => {});
      return { handle, Bottleneck: module.default, connection, client };
    })();
    // Whoever needs it gets the failure (a call, close()); it is never an unhandled rejection.
    this.shared.catch(() => {});
    return this.shared;
  }

  /** The bottleneck group of a bucket: one limiter per key, sharing its budget through Redis. */
  private group(bucket: string, shared: RedisShared): Bottleneck.Group {
    const existing = this.groups.get(bucket);
    if (existing) return existing;
    if (this.closer.signal.aborted) throw closedError();
    const spec = this.spec(bucket);
    const group = new shared.Bottleneck.Group({
      maxConcurrent: spec.maxConcurrent ?? null,
      minTime: Math.ceil(spec.minTimeMs ?? 0),
      ...(spec.reservoir
        ? {
            reservoir: spec.reservoir.amount,
            reservoirRefreshAmount: spec.reservoir.amount,
            reservoirRefreshInterval: spec.reservoir.intervalMs,
          }
        : {}),
      id: `${shared.handle.prefix}:limiter:${this.options.namespace}:${bucket}`,
      datastore: "ioredis",
      connection: shared.connection,
    });
    group.on("error", () => {});
    group.on("created", (limiter) => {
      limiter.on("error", () => {});
      // A limiter sets itself up in Redis in the background (scripts, subscription). When that fails (Redis
      // down, or the connection closed first) nothing else awaits it: it must not be an unhandled rejection.
      limiter.ready().catch(() => {});
    });
    this.groups.set(bucket, group);
    return group;
  }

  private gateKey(redis: RedisHandle, id: string): string {
    return `${redis.prefix}:gate:${this.options.namespace}:${id}`;
  }
}

function stateKey(bucket: string, key: string): string {
  return `${bucket}:${key}`;
}

/** Runs the call and gives its slot back when it settles, however it settles (also if `run` throws at once). */
async function runHoldingSlot<Result>(bucket: LocalBucket, run: () => Promise<Result>): Promise<Result> {
  try {
    return await run();
  } finally {
    bucket.release();
  }
}
