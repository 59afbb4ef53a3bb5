import type { ProviderError } from "@writ/connectors";

const maxBackoffMs = 5 * 60_000;

/**
 * How long to wait before the next attempt. A rate limit waits what the provider asked for
 * (Retry-After or the rest of its window) plus a little jitter; anything else backs off
 * exponentially from 1 s, capped at 5 minutes, with jitter so many jobs don't retry in step,
 * and never sooner than a Retry-After the provider sent.
 */
export function retryDelayMs(
  attempt: number,
  cause: ProviderError | undefined,
  random = Math.random,
): number {
  const backoff = Math.min(maxBackoffMs, 1000 * 2 ** Math.max(0, attempt - 1));
  const jittered = backoff / 2 + random() * (backoff / 2);
  const asked = cause?.retryAfterMs ?? 0;
  if (cause?.disposition === "rate_limited" && asked > 0) return Math.round(asked + random() * 250);
  return Math.round(Math.max(asked, jittered));
}
