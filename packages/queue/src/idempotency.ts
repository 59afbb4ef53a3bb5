import type { Redis } from "ioredis";

export type IdempotencyBegin =
  | { kind: "new" }
  | { kind: "replay"; operationId: string; state: "accepting" | "accepted"; mode: string }
  | { kind: "mismatch"; operationId: string };

interface Entry {
  /** request fingerprint */
  f: string;
  /** operation id */
  o: string;
  /** accepting | accepted */
  s: "accepting" | "accepted";
  /** the original request's mode, to replay its kind of answer */
  m: string;
}

/**
 * Idempotency-Key bookkeeping (draft-ietf-httpapi-idempotency-key-header), per project, in Redis:
 * one atomic SET NX decides which of several concurrent identical requests is the first.
 * Entries live `ttlSeconds` (48 h by default, past the 24 h the API promises).
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 48 * 3600,
  ) {}

  private key(projectId: string, idempotencyKey: string): string {
    return `${this.prefix}:idem:${projectId}:${idempotencyKey}`;
  }

  async begin(
    projectId: string,
    idempotencyKey: string,
    fingerprint: string,
    operationId: string,
    mode: string,
  ): Promise<IdempotencyBegin> {
    const key = this.key(projectId, idempotencyKey);
    const entry: Entry = { f: fingerprint, o: operationId, s: "accepting", m: mode };
    const set = await this.redis.set(key, JSON.stringify(entry), "EX", this.ttlSeconds, "NX");
    if (set === "OK") return { kind: "new" };
    const raw = await this.redis.get(key);
    if (raw === null) {
      // Expired between the two commands: try once more as new.
      const retry = await this.redis.set(key, JSON.stringify(entry), "EX", this.ttlSeconds, "NX");
      if (retry === "OK") return { kind: "new" };
      return { kind: "replay", operationId, state: "accepting", mode };
    }
    const existing = JSON.parse(raw) as Entry;
    if (existing.f !== fingerprint) return { kind: "mismatch", operationId: existing.o };
    return { kind: "replay", operationId: existing.o, state: existing.s, mode: existing.m };
  }

  async markAccepted(
    projectId: string,
    idempotencyKey: string,
    fingerprint: string,
    operationId: string,
    mode: string,
  ): Promise<void> {
    const entry: Entry = { f: fingerprint, o: operationId, s: "accepted", m: mode };
    await this.redis.set(
      this.key(projectId, idempotencyKey),
      JSON.stringify(entry),
      "EX",
      this.ttlSeconds,
    );
  }

  /** Forgets a key whose request was not accepted, so the client may retry it. */
  async abandon(projectId: string, idempotencyKey: string): Promise<void> {
    await this.redis.del(this.key(projectId, idempotencyKey));
  }
}
