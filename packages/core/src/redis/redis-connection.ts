import { Redis } from "ioredis";

/** Where shared state lives when several processes share one credential's budget. */
export interface RedisOptions {
  /** `redis://127.0.0.1:6379/0`. Ignored when `client` is given. */
  readonly url?: string;
  /** An ioredis client you own; Switchyard never closes it. */
  readonly client?: Redis;
  /** Key prefix, so several deployments can share one Redis. Default `switchyard`. */
  readonly prefix?: string;
}

export interface RedisHandle {
  readonly client: Redis;
  readonly prefix: string;
  close(): Promise<void>;
}

export function openRedis(options: RedisOptions): RedisHandle {
  const prefix = options.prefix ?? "switchyard";
  if (options.client) return { client: options.client, prefix, close: async () => {} };
  if (!options.url) throw new TypeError("Redis options need either `url` or `client`.");
  // Bounded: a dead Redis must fail calls fast, not queue them forever.
  const client = new Redis(options.url, {
    maxRetriesPerRequest: 2,
    connectTimeout: 2000,
    lazyConnect: false,
  });
  // Without a listener ioredis reports connection errors as unhandled; callers see them as failed commands.
  client.on("error", () => {});
  return {
    client,
    prefix,
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
