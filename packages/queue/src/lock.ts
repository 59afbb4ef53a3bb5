import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/**
 * Runs `fn` while holding a Redis lock named `name`, so only one process at a time does it
 * (e.g. refreshing one connection's OAuth token). Waits up to `waitMs` for the lock; the lock
 * expires after `ttlMs` even if its holder dies.
 */
export async function withRedisLock<T>(
  redis: Redis,
  name: string,
  fn: () => Promise<T>,
  options: { ttlMs?: number; waitMs?: number } = {},
): Promise<T> {
  const ttlMs = options.ttlMs ?? 30_000;
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  const token = randomUUID();
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    if ((await redis.set(name, token, "PX", ttlMs, "NX")) === "OK") break;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for lock ${name}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  try {
    return await fn();
  } finally {
    await redis.eval(releaseScript, 1, name, token).catch(() => {});
  }
}
