import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A fresh connection and a key prefix nobody else uses, so parallel test files never share state. */
export function testRedis(): { client: Redis; prefix: string } {
  return {
    client: new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }),
    prefix: `switchyard-test-${randomUUID()}`,
  };
}

export async function dropPrefix(client: Redis, prefix: string): Promise<void> {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
}
