/**
 * Slack's rate limits: each Web API method belongs to a tier with a per-minute budget (Tier 1: 1+, Tier 2:
 * 20+, Tier 3: 50+, Tier 4: 100+), counted here per method and per token in fixed one-minute windows.
 * `chat.postMessage` is "special": about one message per second per channel with short bursts, modelled as
 * a token bucket per token and channel. A spent budget answers HTTP 429 with `Retry-After` in seconds.
 *
 * The app profile adds the limits Slack announced on 2025-05-29 for commercially distributed apps that are not
 * in the Marketplace (existing installs from 2026-03-03): `conversations.history` and
 * `conversations.replies` at 1 request per minute, their `limit` default and maximum cut to 15.
 */

export type SlackTier = 1 | 2 | 3 | 4;

/** How a method is limited: a tier, the postMessage bucket, the app-profile history class, or not at all. */
export type SlackRateClass = SlackTier | "post_message" | "history" | "none";

/** `internal` and `marketplace` apps keep Tier 3 for history/replies; `non_marketplace` gets 1/min and 15 items. */
export type SlackAppProfile = "internal" | "marketplace" | "non_marketplace";

export interface SlackRateLimitSettings {
  /** Default true. Off: no 429s from budgets (faults still apply; the non-Marketplace 15-item cap stays). */
  readonly enabled?: boolean;
  /** Requests per minute, per method and token; defaults 1, 20, 50, 100. */
  readonly tier1?: number;
  readonly tier2?: number;
  readonly tier3?: number;
  readonly tier4?: number;
  /** chat.postMessage refill rate per channel and token; default 1 per second. */
  readonly postMessagePerSecond?: number;
  /** chat.postMessage burst per channel and token; default 3. */
  readonly postMessageBurst?: number;
}

/** The 2026 non-Marketplace cap on `limit` for conversations.history and conversations.replies. */
export const NON_MARKETPLACE_HISTORY_LIMIT = 15;

const WINDOW_MS = 60_000;

interface Window {
  start: number;
  used: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export class SlackRateLimits {
  #settings: Required<SlackRateLimitSettings>;
  #profile: SlackAppProfile;
  readonly #now: () => number;
  #windows = new Map<string, Window>();
  #buckets = new Map<string, Bucket>();

  constructor(
    settings: boolean | SlackRateLimitSettings | undefined,
    profile: SlackAppProfile,
    now: () => number,
  ) {
    this.#settings = SlackRateLimits.#resolve(settings);
    this.#profile = profile;
    this.#now = now;
  }

  static #resolve(settings: boolean | SlackRateLimitSettings | undefined): Required<SlackRateLimitSettings> {
    const given = typeof settings === "object" ? settings : {};
    return {
      enabled: typeof settings === "boolean" ? settings : (given.enabled ?? true),
      tier1: given.tier1 ?? 1,
      tier2: given.tier2 ?? 20,
      tier3: given.tier3 ?? 50,
      tier4: given.tier4 ?? 100,
      postMessagePerSecond: given.postMessagePerSecond ?? 1,
      postMessageBurst: given.postMessageBurst ?? 3,
    };
  }

  get enabled(): boolean {
    return this.#settings.enabled;
  }

  /** Switches budgets on or off at run time (counts are kept). */
  set enabled(value: boolean) {
    this.#settings = { ...this.#settings, enabled: value };
  }

  get profile(): SlackAppProfile {
    return this.#profile;
  }

  set profile(value: SlackAppProfile) {
    this.#profile = value;
  }

  get settings(): Readonly<Required<SlackRateLimitSettings>> {
    return this.#settings;
  }

  /** Replaces the settings (true/false only switches them) and forgets the counts. */
  configure(settings: boolean | SlackRateLimitSettings): void {
    this.#settings =
      typeof settings === "boolean"
        ? { ...this.#settings, enabled: settings }
        : SlackRateLimits.#resolve({ ...this.#settings, ...settings });
    this.reset();
  }

  /** The per-minute budget of a class, under the current profile. */
  perMinute(rateClass: SlackTier | "history"): number {
    if (rateClass === "history") return this.#profile === "non_marketplace" ? 1 : this.#settings.tier3;
    return this.#settings[`tier${rateClass}`];
  }

  /**
   * Counts one request. undefined: it may go ahead; a number: refused, retry after that many seconds (the
   * refused request is not counted).
   */
  take(method: string, rateClass: SlackRateClass, token: string, channel?: string): number | undefined {
    if (!this.#settings.enabled || rateClass === "none") return undefined;
    const now = this.#now();
    if (rateClass === "post_message") return this.#takeBucket(`${token}\u0000${channel ?? ""}`, now);
    const key = `${method}\u0000${token}`;
    let window = this.#windows.get(key);
    if (!window || now >= window.start + WINDOW_MS) {
      window = { start: now, used: 0 };
      this.#windows.set(key, window);
    }
    if (window.used >= this.perMinute(rateClass)) {
      return Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
    }
    window.used += 1;
    return undefined;
  }

  #takeBucket(key: string, now: number): number | undefined {
    const { postMessagePerSecond: rate, postMessageBurst: burst } = this.#settings;
    const bucket = this.#buckets.get(key) ?? { tokens: burst, updated: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updated) / 1000) * rate);
    bucket.updated = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
  }

  reset(): void {
    this.#windows = new Map();
    this.#buckets = new Map();
  }
}
