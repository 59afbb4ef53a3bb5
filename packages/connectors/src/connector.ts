import type { ProviderName } from "@writ/contracts";
import type { ProviderError } from "./errors";
import type { LimitInfo } from "./limits";

/** Everything a call needs to reach one customer's provider account. */
export interface ConnectionContext {
  provider: ProviderName;
  /**
   * HubSpot: the API root (default https://api.hubapi.com; overridable for tests or proxies).
   * Salesforce: the org's instance URL (e.g. https://acme.my.salesforce.com).
   */
  baseUrl: string;
  accessToken: string;
  /** Injectable for tests and instrumentation; defaults to the global fetch. */
  fetch?: typeof fetch;
  /**
   * Per-request timeout, default 30 000 ms. A timeout is classified `retry` even though the
   * write may have landed, so a retried create can duplicate a record the provider did save.
   */
  timeoutMs?: number;
}

/** A request header the calling application asked to pass through (e.g. `Sforce-Auto-Assign`). */
export interface ForwardedHeader {
  key: string;
  value: string;
}

export interface WriteOptions {
  /** HubSpot v4 inline associations for creates; ignored by Salesforce and by HubSpot updates. */
  associations?: unknown[];
  /** Sent as request headers on Salesforce calls; HubSpot has no equivalent and ignores them. */
  headers?: ForwardedHeader[];
}

/**
 * The result for one record. A failed outcome's error is usually `permanent`, but not always:
 * Salesforce reports lock contention per record (UNABLE_TO_LOCK_ROW → `retry`), and a chunked
 * batch that is interrupted by a rate limit or outage after earlier chunks were written reports
 * the unsent records with that call's error. Check `error.disposition` on every failure.
 */
export type RecordOutcome =
  | { ok: true; recordId: string; data?: Record<string, unknown>; limits?: LimitInfo }
  | { ok: false; error: ProviderError };

export interface BatchInput {
  fields: Record<string, unknown>;
  /** Required for updates. */
  recordId?: string;
  /** HubSpot v4 inline associations (creates only). */
  associations?: unknown[];
}

export interface BatchOptions {
  /**
   * Salesforce: passed through, so one invalid record rolls back the whole call (at most 200
   * records; larger atomic batches are refused with a RangeError). HubSpot has no atomic batch
   * writes: batch create with trace ids and batch update are always partial, so this flag has no
   * effect there.
   */
  allOrNone: boolean;
  /** Forwarded on Salesforce calls only. */
  headers?: ForwardedHeader[];
}

export interface BatchResult {
  /** One per input, same order and length as the inputs. */
  outcomes: RecordOutcome[];
  /** Limits reported on the last provider response. */
  limits?: LimitInfo;
}

export interface OAuthClientCredentials {
  refreshToken: string;
  clientId: string;
  clientSecret: string;
}

export interface RefreshedToken {
  accessToken: string;
  /** Present when the provider rotated the refresh token; keep the old one otherwise. */
  refreshToken?: string;
  /** HubSpot says when the token expires; Salesforce does not (sessions expire by inactivity). */
  expiresAt?: Date;
  /** Salesforce may move an org to another instance; use this as the new base URL. */
  instanceUrl?: string;
}

export interface RefreshOptions {
  fetch?: typeof fetch;
  /** Per-attempt timeout, default 30 000 ms. */
  timeoutMs?: number;
  /**
   * Extra attempts after transient failures (5xx, network), default 2. A refresh blocks every
   * write of the connection, and a failed refresh turns into a user-visible "reconnect" prompt,
   * so this is the one place where a connector retries on its own.
   */
  retries?: number;
}

/**
 * One provider's write API. Each method makes one attempt (except `refreshAccessToken`) and
 * classifies the result: per-record failures come back as `{ ok: false }` outcomes, failures of
 * the call itself (rate limits, outages, expired tokens, network) are thrown as ProviderError.
 */
export interface Connector {
  readonly provider: ProviderName;
  create(
    ctx: ConnectionContext,
    objectName: string,
    fields: Record<string, unknown>,
    options?: WriteOptions,
  ): Promise<RecordOutcome>;
  /** Salesforce answers 204 without a body, so `recordId` echoes the input id. */
  update(
    ctx: ConnectionContext,
    objectName: string,
    recordId: string,
    fields: Record<string, unknown>,
    options?: WriteOptions,
  ): Promise<RecordOutcome>;
  delete(
    ctx: ConnectionContext,
    objectName: string,
    recordId: string,
    options?: WriteOptions,
  ): Promise<RecordOutcome>;
  /** The record's fields, or null when it does not exist. Other failures are thrown. */
  get(
    ctx: ConnectionContext,
    objectName: string,
    recordId: string,
    fieldNames: string[],
  ): Promise<Record<string, unknown> | null>;
  /**
   * Writes many records with the provider's batch endpoint, split into calls of at most the
   * provider's batch size. Throws only when nothing was written; once a call has written records,
   * later call-level failures are reported per record so no success is lost.
   */
  writeBatch(
    ctx: ConnectionContext,
    objectName: string,
    type: "create" | "update",
    inputs: BatchInput[],
    options: BatchOptions,
  ): Promise<BatchResult>;
  refreshAccessToken(
    tokenUrl: string,
    credentials: OAuthClientCredentials,
    options?: RefreshOptions,
  ): Promise<RefreshedToken>;
}
