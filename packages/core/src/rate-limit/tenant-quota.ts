import { ConnectorError } from "../errors/connector-error.js";
import { type RedisHandle, type RedisHandleSource, redisHandle } from "../redis/redis-connection.js";

/** Calls one tenant may make per window. */
export interface QuotaSpec {
  readonly calls: number;
  readonly windowMs: number;
}

export interface TenantQuotaOptions {
  readonly namespace: string;
  readonly default?: QuotaSpec | undefined;
  /** Per-tenant overrides; a tenant listed here uses its own spec. */
  readonly tenants?: Readonly<Record<string, QuotaSpec>> | undefined;
  /** Shares quotas across processes: a handle, or one still being opened (`connectRedis`). */
  readonly redis?: RedisHandleSource | undefined;
  readonly now?: () => number;
}

export interface QuotaState {
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: number;
}

/**
 * Fixed-window call quotas per tenant, so one agent cannot spend everybody's upstream budget. In memory, or
 * in Redis (INCR + PEXPIRE) when several processes serve the same tenants.
 */
export class TenantQuota {
  private readonly windows = new Map<string, { window: number; count: number }>();
  private readonly now: () => number;
  private readonly redis: Promise<RedisHandle> | undefined;

  constructor(private readonly options: TenantQuotaOptions) {
    this.now = options.now ?? Date.now;
    this.redis = redisHandle(options.redis);
  }

  /** Takes one call from the tenant's quota, or throws `quota_exhausted` with the time to wait. */
  async take(tenant: string): Promise<QuotaState | undefined> {
    const spec = this.options.tenants?.[tenant] ?? this.options.default;
    if (!spec) return undefined;
    const now = this.now();
    const window = Math.floor(now / spec.windowMs);
    const resetAt = (window + 1) * spec.windowMs;
    const count = await this.increment(tenant, window, spec);
    if (count > spec.calls) {
      throw new ConnectorError({
        code: "quota_exhausted",
        message: `Tenant "${tenant}" used its ${spec.calls} calls for this ${Math.round(spec.windowMs / 1000)} s window.`,
        retryAfterMs: resetAt - now,
        notApplied: true,
      });
    }
    return { limit: spec.calls, remaining: spec.calls - count, resetAt };
  }

  private async increment(tenant: string, window: number, spec: QuotaSpec): Promise<number> {
    if (this.redis) {
      const redis = await this.redis;
      const key = `${redis.prefix}:quota:${this.options.namespace}:${tenant}:${window}`;
      const result = await redis.client
        .multi()
        .incr(key)
        .pexpire(key, spec.windowMs * 2)
        .exec();
      const count = result?.[0]?.[1];
      if (typeof count !== "number") {
        throw new ConnectorError({
          code: "internal",
          message: "The quota store (Redis) did not answer.",
          retryable: true,
        });
      }
      return count;
    }
    const current = this.windows.get(tenant);
    const next =
      current && current.window === window ? { window, count: current.count + 1 } : { window, count: 1 };
    this.windows.set(tenant, next);
    return next.count;
  }
}
