/** GitHub's primary rate limits, counted per token in fixed windows, as the `x-ratelimit-*` headers report them. */

export type RateResource = "core" | "search" | "code_search";

export interface RateLimitSettings {
  /** Requests per hour; default 5000. */
  readonly core?: number;
  /** Issue search requests per minute; default 30. */
  readonly search?: number;
  /** Code search requests per minute; default 10. */
  readonly codeSearch?: number;
}

export interface RateBudget {
  readonly resource: RateResource;
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  /** Epoch seconds when the window resets. */
  readonly reset: number;
}

interface Window {
  start: number;
  used: number;
}

const WINDOW_SECONDS: Record<RateResource, number> = { core: 3600, search: 60, code_search: 60 };

export class RateLimitLedger {
  readonly #limits: Record<RateResource, number>;
  readonly #now: () => number;
  #windows = new Map<string, Window>();

  constructor(settings: RateLimitSettings = {}, now: () => number = Date.now) {
    this.#limits = {
      core: settings.core ?? 5000,
      search: settings.search ?? 30,
      code_search: settings.codeSearch ?? 10,
    };
    this.#now = now;
  }

  #window(token: string, resource: RateResource): Window {
    const key = `${resource}\u0000${token}`;
    const nowSeconds = Math.floor(this.#now() / 1000);
    let window = this.#windows.get(key);
    if (!window || nowSeconds >= window.start + WINDOW_SECONDS[resource]) {
      window = { start: nowSeconds, used: 0 };
      this.#windows.set(key, window);
    }
    return window;
  }

  #budget(resource: RateResource, window: Window): RateBudget {
    const limit = this.#limits[resource];
    return {
      resource,
      limit,
      used: window.used,
      remaining: Math.max(0, limit - window.used),
      reset: window.start + WINDOW_SECONDS[resource],
    };
  }

  /** Counts one request; `exceeded` means the budget was already spent (the request is refused, not counted). */
  take(token: string, resource: RateResource): RateBudget & { readonly exceeded: boolean } {
    const window = this.#window(token, resource);
    if (window.used >= this.#limits[resource]) return { ...this.#budget(resource, window), exceeded: true };
    window.used += 1;
    return { ...this.#budget(resource, window), exceeded: false };
  }

  /** The current budget without counting a request (GET /rate_limit). */
  peek(token: string, resource: RateResource): RateBudget {
    return this.#budget(resource, this.#window(token, resource));
  }

  reset(): void {
    this.#windows = new Map();
  }
}

export function rateLimitHeaders(budget: RateBudget): Record<string, string> {
  return {
    "x-ratelimit-limit": String(budget.limit),
    "x-ratelimit-remaining": String(budget.remaining),
    "x-ratelimit-used": String(budget.used),
    "x-ratelimit-reset": String(budget.reset),
    "x-ratelimit-resource": budget.resource,
  };
}
