import type { TtlCache } from "@writ/cache";
import type { ApiKeyIdentity, Db } from "@writ/db";
import type { AutoBatcher, IdempotencyStore, InvalidationBus, WriteQueue } from "@writ/queue";
import type { EncryptionKey } from "@writ/secrets";
import type { WritMetrics } from "@writ/telemetry";
import type { WriteTargetLookup } from "./writeTarget";

export interface ApiConfig {
  adminToken: string | undefined;
  encryptionKey: EncryptionKey;
  maxBodyBytes: number;
  /** Bytes of large request bodies worked on at once (see BodyBudget). */
  inFlightBodyBytes: number;
  syncTimeoutMs: number;
  publicUrl: string | undefined;
  /** Whether the queue dashboard may change jobs (retry, promote, clean). */
  dashboardWrite: boolean;
}

export interface ApiCaches {
  /** keyHash → identity (null caches "unknown key" too, so a flood of bad keys stays cheap). */
  apiKeys: TtlCache<string, ApiKeyIdentity | null>;
  /** project/integration/groupRef → everything a write needs to be validated and enqueued. */
  writeTargets: TtlCache<string, WriteTargetLookup>;
}

export interface Logger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

/** Everything an endpoint may use; wired once in main.ts (and in tests). */
export interface AppDeps {
  db: Db;
  config: ApiConfig;
  caches: ApiCaches;
  invalidation: Pick<InvalidationBus, "publish">;
  writes: WriteQueue;
  idempotency: IdempotencyStore;
  /** Holds `autoBatchPolicy` writes until their group is full or due. */
  autoBatcher: AutoBatcher;
  logger: Logger;
  /** This process's Prometheus metrics, served on GET /metrics. */
  metrics: WritMetrics;
  /** Whether Redis and PostgreSQL answer; false while draining. */
  readiness(): Promise<{ ready: boolean; checks: Record<string, string> }>;
}
