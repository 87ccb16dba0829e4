import { randomUUID } from "node:crypto";
import { sleep } from "../deadline/deadline.js";
import { ConnectorError } from "../errors/connector-error.js";
import type { RedisHandle } from "../redis/redis-connection.js";
import type { Credential } from "./credential.js";

export interface CredentialCoordinator {
  /**
   * Returns a credential other than `stale` (the one rejected, or about to expire), refreshing at most once
   * across all processes.
   */
  refresh(request: {
    stale: Credential | undefined;
    refresh: () => Promise<Credential>;
  }): Promise<Credential>;
}

export interface RedisCredentialCoordinatorOptions {
  readonly redis: RedisHandle;
  /** Names this credential; every process sharing it must use the same name. */
  readonly name: string;
  /** How long one process may hold the refresh lock. Default 30 s. */
  readonly lockTtlMs?: number;
  /** How long a waiting process polls for the winner's result. Default: lockTtlMs. */
  readonly waitMs?: number;
  readonly pollMs?: number;
  readonly now?: () => number;
}

const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/**
 * Several processes that share one credential refresh it once: the process that takes the Redis lock
 * refreshes and publishes the result; the others wait for it. The published value is a secret stored in
 * Redis, with a TTL no longer than the credential's own life: use a Redis you would trust with the token.
 */
export function redisCredentialCoordinator(
  options: RedisCredentialCoordinatorOptions,
): CredentialCoordinator {
  const { client, prefix } = options.redis;
  const now = options.now ?? Date.now;
  const lockTtlMs = options.lockTtlMs ?? 30_000;
  const waitMs = options.waitMs ?? lockTtlMs;
  const pollMs = options.pollMs ?? 50;
  const lockKey = `${prefix}:credential-lock:${options.name}`;
  const valueKey = `${prefix}:credential:${options.name}`;

  /** A published credential other than the one being replaced, and still valid. */
  const readShared = async (stale: Credential | undefined): Promise<Credential | undefined> => {
    const raw = await client.get(valueKey);
    if (!raw) return undefined;
    const credential = JSON.parse(raw) as Credential;
    if (stale && credential.value === stale.value) return undefined;
    if (credential.expiresAt !== undefined && credential.expiresAt <= now()) return undefined;
    return credential;
  };

  return {
    async refresh({ stale, refresh }) {
      const deadline = now() + waitMs;
      while (now() <= deadline) {
        const shared = await readShared(stale);
        if (shared) return shared;
        const token = randomUUID();
        if ((await client.set(lockKey, token, "PX", lockTtlMs, "NX")) === "OK") {
          try {
            // The previous lock holder may have published while we were taking the lock.
            const published = await readShared(stale);
            if (published) return published;
            const credential = await refresh();
            const ttl = credential.expiresAt !== undefined ? credential.expiresAt - now() : lockTtlMs * 10;
            if (ttl > 0) await client.set(valueKey, JSON.stringify(credential), "PX", Math.ceil(ttl));
            return credential;
          } finally {
            await client.eval(RELEASE_SCRIPT, 1, lockKey, token).catch(() => {});
          }
        }
        await sleep(pollMs);
      }
      throw new ConnectorError({
        code: "unauthenticated",
        message: `Timed out waiting for another process to refresh the credential "${options.name}".`,
        retryable: true,
        notApplied: true,
      });
    },
  };
}
