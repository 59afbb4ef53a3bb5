import { Redis, type RedisOptions } from "ioredis";

export type RedisConnection = Redis;

/**
 * Redis connections for queues. Workers block on Redis and must never give up on a command
 * (BullMQ requires maxRetriesPerRequest: null); producers in the API want the same so a short
 * Redis restart delays requests instead of failing them.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

/**
 * Every key Writ writes lives under one hash-tagged prefix (`{writ}` by default) so a Redis
 * Cluster keeps a queue's keys in one slot: BullMQ's Lua scripts touch several keys at once and
 * would otherwise fail with CROSSSLOT.
 */
export function normaliseQueuePrefix(prefix: string): string {
  return prefix.startsWith("{") && prefix.endsWith("}") ? prefix : `{${prefix}}`;
}
