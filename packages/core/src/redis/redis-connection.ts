// ioredis is imported only here, and only when a handle is opened from a URL: a process without Redis never
// loads it (it is a measurable part of `serve`'s cold start). Everywhere else in core, its types only.
import type { Redis } from "ioredis";

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
  /**
   * Closes the client this handle opened from `url` (never a `client` passed in). Idempotent: every call after
   * the first returns the first one's promise. Never rejects.
   */
  close(): Promise<void>;
}

/** Throws at once for options that name no Redis (before anything is loaded or connected). */
export function assertRedisOptions(options: RedisOptions): void {
  if (!options.client && !options.url) throw new TypeError("Redis options need either `url` or `client`.");
}

/**
 * Opens a handle: around the `client` given (left open by `close()`), or a client of its own connected to
 * `url`, which loads ioredis the first time. Rejects with a TypeError when the options name no Redis.
 */
export async function connectRedis(options: RedisOptions): Promise<RedisHandle> {
  assertRedisOptions(options);
  const prefix = options.prefix ?? "switchyard";
  if (options.client) return { client: options.client, prefix, close: async () => {} };
  const { Redis } = await import("ioredis");
  // Bounded: a dead Redis must fail calls fast, not queue them forever.
  const client = new Redis(options.url as string, {
    maxRetriesPerRequest: 2,
    connectTimeout: 2000,
    lazyConnect: false,
  });
  // Without a listener ioredis reports connection errors as unhandled; callers see them as failed commands.
  client.on("error", () => {});
  let closing: Promise<void> | undefined;
  return {
    client,
    prefix,
    close: () => {
      closing ??= closeRedisClient(client);
      return closing;
    },
  };
}

/**
 * A handle, or one still being opened (`connectRedis`), as the rate limiter, circuit breakers and quotas
 * accept it: a connector starts opening its handle when it is created, and they wait for it on first use.
 */
export type RedisHandleSource = RedisHandle | Promise<RedisHandle>;

/**
 * The handle of a source, as a promise that is never reported as unhandled (the connection may fail to open
 * before anything asks for it; whoever asks then gets the error). Undefined without Redis.
 */
export function redisHandle(source: RedisHandleSource | undefined): Promise<RedisHandle> | undefined {
  if (source === undefined) return undefined;
  const handle = Promise.resolve(source);
  handle.catch(() => {});
  return handle;
}

/**
 * Closes a client its caller owns. Connected, it sends QUIT, so replies already asked for still arrive, and
 * resolves once the connection is closed. Not connected (connecting, or reconnecting to a dead Redis), it
 * drops the connection at once instead of queueing QUIT behind commands that may never be sent. A client
 * already closed is left alone. Never rejects.
 */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === "end") return;
  if (client.status !== "ready") {
    client.disconnect();
    return;
  }
  const ended = endOf(client);
  try {
    await client.quit();
  } catch {
    // Ending a socket that is already closed would hold the process on ioredis's 2 s disconnect timer.
    if ((client.status as Redis["status"]) !== "end") client.disconnect();
    return;
  }
  await ended;
}

/**
 * Resolves when a connected client's connection has closed. Only for a client that is `ready`: one that is
 * reconnecting has no socket left to close, and would never report its end once disconnected.
 */
export function endOf(client: Redis): Promise<void> {
  return new Promise((resolve) => client.once("end", () => resolve()));
}
