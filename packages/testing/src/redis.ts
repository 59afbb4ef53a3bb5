import { randomBytes } from "node:crypto";
import { testEnv } from "./env";

export const testRedisUrl = testEnv.redisUrl;

/** A queue/key prefix no other test file uses, so files share one Redis without collisions. */
export function uniqueRedisPrefix(label = "t"): string {
  return `writ-test-${label}-${randomBytes(4).toString("hex")}`;
}
