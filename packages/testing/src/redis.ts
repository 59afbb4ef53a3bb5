import { randomBytes } from "node:crypto";

export const testRedisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A queue/key prefix no other test file uses, so files share one Redis without collisions. */
export function uniqueRedisPrefix(label = "t"): string {
  return `writ-test-${label}-${randomBytes(4).toString("hex")}`;
}
