import type { BucketSpec } from "./bucket-spec.js";

/** One call asking a bucket for permission to start. */
export interface BucketRequest {
  readonly signal: AbortSignal;
  /** Epoch ms by which the call must be over: a call that cannot start before it is refused at once. */
  readonly deadlineAt: number;
  /**
   * Epoch ms until which this call must not start (a 429's Retry-After or a spent budget, on its key or its
   * parent key); 0 or less when nothing holds it. Asked again whenever the call could start, so a pause set
   * while it waits holds it too.
   */
  readonly pausedUntil: () => number;
  /** The error for a call whose earliest start lies past its deadline, `waitMs` from now. */
  readonly refuse: (waitMs: number) => Error;
}

interface Waiter {
  readonly request: BucketRequest;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly onAbort: () => void;
  previous: Waiter | undefined;
  next: Waiter | undefined;
}

/**
 * The in-process scheduler behind one rate-limit bucket key (one bucket of one credential, or of one channel
 * of it). Bottleneck, which this replaces in process, yields to a `setTimeout(0)` in every step of a job (about
 * 4.5 ms of wall time for a call that had nothing to wait for) and spaces jobs from when they were queued, so
 * late timers bunched calls above the limit. This one decides on the actual start times:
 *
 * - at most `maxConcurrent` calls running;
 * - at least `minTimeMs` between two starts (raised by upstream headers through `setMinTime`);
 * - a sliding-window reservoir: at most `amount` starts in any `intervalMs`, counted on the real start times,
 *   which is how upstreams count (a fixed refill interval lets up to twice the amount through around a refill);
 * - first in, first out: a call that could start is not overtaken by one that arrived later.
 *
 * A call with a free slot starts synchronously: no timer, no extra tick. At most one timer per key is armed,
 * and only while its first waiting call has to wait for time to pass. A pause holds the calls that are still
 * waiting, never ones already started, and when it ends they start at the bucket's pace, not all at once.
 */
export class LocalBucket {
  private readonly maxConcurrent: number;
  private readonly baseMinTimeMs: number;
  private minTimeMs: number;
  private readonly amount: number;
  private readonly intervalMs: number;
  /**
   * Start times (on `tick`) still inside the window, oldest first, from `starts[first]` on (at most `amount`
   * of them: a call starts only when fewer are). Older ones are dropped as time passes, so a generous
   * reservoir (Slack settings lifted to a million a minute) costs memory for one interval's calls only.
   */
  private starts: number[] = [];
  private first = 0;
  private lastStartAt = Number.NEGATIVE_INFINITY;
  private running = 0;
  private head: Waiter | undefined;
  private tail: Waiter | undefined;
  private size = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When (on `tick`) the armed timer is due. */
  private timerDue = 0;

  /**
   * `now` is the epoch clock that pauses and deadlines are given in. `tick` measures spacing and the window:
   * a monotonic clock finer than a millisecond (the default of RateLimiter), because on whole milliseconds
   * two starts 10 ms apart "by the clock" can be 9.1 ms apart in fact, and an exact spec then exceeds the
   * limit by a call at a window's edge.
   */
  constructor(
    spec: BucketSpec,
    private readonly now: () => number,
    private readonly tick: () => number = now,
  ) {
    this.maxConcurrent = spec.maxConcurrent ?? Number.POSITIVE_INFINITY;
    this.baseMinTimeMs = spec.minTimeMs ?? 0;
    this.minTimeMs = this.baseMinTimeMs;
    this.amount = spec.reservoir?.amount ?? Number.POSITIVE_INFINITY;
    this.intervalMs = spec.reservoir?.intervalMs ?? 0;
  }

  /** Calls waiting for their turn. */
  get queued(): number {
    return this.size;
  }

  /** Calls started and not yet released. */
  get active(): number {
    return this.running;
  }

  /**
   * Takes a slot and returns true when the call may start right now (nobody waiting ahead of it, a free
   * slot, nothing to wait for). Otherwise returns false and changes nothing: `wait` queues the call.
   */
  tryStart(request: BucketRequest): boolean {
    if (this.size > 0 || this.running >= this.maxConcurrent || request.signal.aborted) return false;
    const tick = this.tick();
    if (this.waitFor(request, this.now(), tick) > 0) return false;
    this.start(tick);
    return true;
  }

  /**
   * Queues the call and resolves once it has started (a slot taken; `release` gives it back). Rejects with the
   * signal's reason when the signal fires while it waits (it leaves the queue at once), and with
   * `request.refuse` as soon as its earliest possible start is known to lie past its deadline.
   */
  wait(request: BucketRequest): Promise<void> {
    if (request.signal.aborted) return Promise.reject(request.signal.reason);
    const now = this.now();
    const wait = this.leastWait(request, this.size + 1, now, this.tick());
    if (now + wait > request.deadlineAt) return Promise.reject(request.refuse(wait));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        request,
        resolve,
        reject,
        onAbort: () => {
          const wasHead = this.head === waiter;
          this.unlink(waiter);
          reject(request.signal.reason);
          // The next call may be able to start now, or wait for a different time.
          if (wasHead) this.pump();
        },
        previous: this.tail,
        next: undefined,
      };
      if (this.tail) this.tail.next = waiter;
      else this.head = waiter;
      this.tail = waiter;
      this.size += 1;
      request.signal.addEventListener("abort", waiter.onAbort, { once: true });
      if (this.head === waiter) this.pump();
    });
  }

  /** Gives back the slot of a call that started (whether it succeeded or failed). */
  release(): void {
    this.running -= 1;
    if (this.size > 0) this.pump();
  }

  /** Spacing between starts from now on (upstream headers said the budget runs low, or recovered). */
  setMinTime(minTimeMs: number): void {
    if (minTimeMs === this.minTimeMs) return;
    this.minTimeMs = minTimeMs;
    if (this.size > 0) this.pump();
  }

  /**
   * Something outside changed (a pause was set): calls whose pause now ends after their deadline are refused at
   * once instead of sitting out their deadline, and the first waiting call's start time is computed again.
   */
  wake(): void {
    if (this.size === 0) return;
    for (let waiter = this.head; waiter; ) {
      const next = waiter.next;
      const pausedUntil = waiter.request.pausedUntil();
      if (pausedUntil > waiter.request.deadlineAt) {
        this.unlink(waiter);
        waiter.reject(waiter.request.refuse(pausedUntil - this.now()));
      }
      waiter = next;
    }
    this.pump();
  }

  /** True when forgetting this key changes nothing: nobody waiting or running, no spacing or window left. */
  idle(): boolean {
    return (
      this.size === 0 &&
      this.running === 0 &&
      this.minTimeMs === this.baseMinTimeMs &&
      this.tick() - this.lastStartAt >= Math.max(this.minTimeMs, this.intervalMs)
    );
  }

  /** Refuses every waiting call with `reason` and disarms the timer. */
  close(reason: Error): void {
    this.disarm();
    while (this.head) {
      const waiter = this.head;
      this.unlink(waiter);
      waiter.reject(reason);
    }
  }

  /** Starts every waiting call that may start now, in order; arms one timer for the first that may not. */
  private pump(): void {
    while (this.head) {
      if (this.running >= this.maxConcurrent) break; // release() pumps again
      const waiter = this.head;
      const now = this.now();
      const tick = this.tick();
      const wait = this.waitFor(waiter.request, now, tick);
      if (wait > 0) {
        if (now + wait > waiter.request.deadlineAt) {
          this.unlink(waiter);
          waiter.reject(waiter.request.refuse(wait));
          continue;
        }
        this.arm(tick + wait, tick);
        return;
      }
      this.unlink(waiter);
      this.start(tick);
      waiter.resolve();
    }
    this.disarm();
  }

  /**
   * How long the next call must still wait for time to pass (its pause, the spacing, the window), ms; zero or
   * less when it may start now. Concurrency is not time: a free slot is checked apart.
   */
  private waitFor(request: BucketRequest, now: number, tick: number): number {
    let wait = request.pausedUntil() - now;
    if (this.minTimeMs > 0) wait = Math.max(wait, this.lastStartAt + this.minTimeMs - tick);
    if (this.inWindow(tick) >= this.amount)
      wait = Math.max(wait, (this.starts[this.first] as number) + this.intervalMs - tick);
    return wait;
  }

  /** How many starts fall in the window ending at `tick`, (tick - intervalMs, tick]; forgets older ones. */
  private inWindow(tick: number): number {
    const { starts } = this;
    while (this.first < starts.length && (starts[this.first] as number) <= tick - this.intervalMs)
      this.first += 1;
    if (this.first > 64 && this.first * 2 > starts.length) {
      this.starts = starts.slice(this.first);
      this.first = 0;
    }
    return this.starts.length - this.first;
  }

  /**
   * A lower bound for how long the call that would be `position`-th in line (1 = next) waits: its pause, the
   * declared spacing (pacing may lift or lower the current one, so only the declared part is certain) and the
   * window (the n-th start after the last `amount` ones cannot come before the one `amount` places earlier,
   * plus the interval). Concurrency is left out: how long running calls take is not known.
   */
  private leastWait(request: BucketRequest, position: number, now: number, tick: number): number {
    let wait = Math.max(0, request.pausedUntil() - now);
    if (this.baseMinTimeMs > 0)
      wait = Math.max(wait, this.lastStartAt + position * this.baseMinTimeMs - tick);
    if (Number.isFinite(this.amount)) {
      const rounds = Math.floor((position - 1) / this.amount);
      const place = position - rounds * this.amount; // 1..amount
      const index = this.inWindow(tick) + place - this.amount - 1; // in the window's starts, oldest first
      const base = index >= 0 ? (this.starts[this.first + index] as number) + this.intervalMs - tick : 0;
      wait = Math.max(wait, Math.max(0, base) + rounds * this.intervalMs);
    }
    return wait;
  }

  private start(tick: number): void {
    this.running += 1;
    this.lastStartAt = tick;
    if (Number.isFinite(this.amount)) this.starts.push(tick);
  }

  private arm(due: number, tick: number): void {
    // Re-arming for the same moment (a release or a pause that changes nothing) keeps the timer.
    if (this.timer !== undefined && Math.abs(this.timerDue - due) < 0.5) return;
    this.disarm();
    this.timerDue = due;
    // Whole milliseconds, rounded up; a timer that fires a little early anyway makes pump() arm again.
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(due - tick)),
    );
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private unlink(waiter: Waiter): void {
    waiter.request.signal.removeEventListener("abort", waiter.onAbort);
    if (waiter.previous) waiter.previous.next = waiter.next;
    else this.head = waiter.next;
    if (waiter.next) waiter.next.previous = waiter.previous;
    else this.tail = waiter.previous;
    waiter.previous = undefined;
    waiter.next = undefined;
    this.size -= 1;
  }
}
