import { randomBytes, randomUUID } from "node:crypto";
import { type FaultConfig, FaultInjector, lockErrorCode } from "./faults";
import { resolveHubSpotObjectType } from "./hubspot/objectTypes";
import { insertHubSpotRecord } from "./hubspot/records";
import { DailyAllowance, RollingWindow } from "./rateWindow";
import { RequestLog, type RequestLogEntry } from "./requestLog";
import { salesforceRecordId } from "./salesforce/recordIds";
import { insertSObject } from "./salesforce/records";
import { resolveSObjectType, sobjectKey } from "./salesforce/sobjectTypes";

export type Provider = "hubspot" | "salesforce";

export interface RateLimit {
  requests: number;
  intervalMs: number;
}

export interface CreateAccountInput {
  provider: Provider;
  /** Default: random. Must not belong to another account. */
  accessToken?: string;
  /** Default: random. */
  refreshToken?: string;
  /** When set, the token endpoint insists on it. */
  clientId?: string;
  /** When set, the token endpoint insists on it. */
  clientSecret?: string;
  /** Lifetime of each access token. Default 1800 for HubSpot (its real TTL), none for Salesforce; null = never expires. */
  accessTokenTtlSeconds?: number | null;
  /** HubSpot rolling window. Default 100 requests per 10 000 ms. */
  rateLimit?: RateLimit;
  /** Calls allowed per 24 h. Default 100 000 for Salesforce, 250 000 for HubSpot. */
  dailyLimit?: number;
  /** Salesforce requests allowed in flight at once. Default 25. */
  maxConcurrent?: number;
  /** Delay added to every API request. Default 0. */
  latencyMs?: number;
  faults?: FaultConfig;
}

export interface SandboxAccount {
  id: string;
  provider: Provider;
  accessToken: string;
  refreshToken: string;
  clientId?: string;
  clientSecret?: string;
  accessTokenTtlSeconds: number | null;
  /** ms epoch, null when the current token never expires. */
  accessTokenExpiresAt: number | null;
  rateLimit: RateLimit;
  dailyLimit: number;
  maxConcurrent: number;
  latencyMs: number;
  faults: FaultConfig | null;
  createdAt: string;
}

/** Limits that can change on a live account without losing its records or log. */
export interface AccountLimitsUpdate {
  rateLimit?: RateLimit;
  dailyLimit?: number;
  maxConcurrent?: number;
  latencyMs?: number;
  accessTokenTtlSeconds?: number | null;
}

export interface SandboxRecord {
  id: string;
  /** HubSpot: property values as HubSpot stores them (strings). Salesforce: the fields. */
  properties: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  associations?: unknown[];
}

export interface SandboxAdmin {
  createAccount(input: CreateAccountInput): SandboxAccount;
  account(id: string): SandboxAccount | undefined;
  accountByToken(accessToken: string): SandboxAccount | undefined;
  records(accountId: string, objectName: string): SandboxRecord[];
  /** Oldest first; with `since` (ms epoch), only requests that arrived at or after it. */
  requests(accountId: string, since?: number): RequestLogEntry[];
  setFaults(accountId: string, faults: FaultConfig | null): void;
  /** The next call with the current access token gets the provider's expired-token 401. */
  expireAccessToken(accountId: string): void;
  seedRecord(accountId: string, objectName: string, properties: Record<string, unknown>): string;
  updateLimits(accountId: string, update: AccountLimitsUpdate): SandboxAccount;
  reset(): void;
}

export interface StoredRecord {
  id: string;
  properties: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  associations?: unknown[];
}

const defaultStatuses: Record<Provider, Array<number | typeof lockErrorCode>> = {
  hubspot: [429, 502, 503],
  salesforce: [503, lockErrorCode],
};

/** Live state of one account: credentials, limits, records and request log. */
export class AccountState {
  readonly createdAt = Date.now();
  accessToken: string;
  refreshToken: string;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  accessTokenTtlSeconds: number | null;
  accessTokenExpiresAt: number | null;
  rateLimit: RateLimit;
  rateWindow: RollingWindow;
  dailyLimit: number;
  daily: DailyAllowance;
  maxConcurrent: number;
  latencyMs: number;
  faults: FaultInjector | null = null;
  inFlight = 0;
  readonly log: RequestLog;
  /** HubSpot contacts are unique by email (lower-cased) → id. */
  readonly contactIdsByEmail = new Map<string, string>();
  /** Salesforce tells a deleted id apart from one that never existed. */
  readonly deletedIds = new Set<string>();
  private readonly tables = new Map<string, Map<string, StoredRecord>>();
  private sequence = 0;

  constructor(
    readonly id: string,
    readonly provider: Provider,
    input: CreateAccountInput,
    tokens: { accessToken: string; refreshToken: string },
    logCapacity: number,
  ) {
    this.accessToken = tokens.accessToken;
    this.refreshToken = tokens.refreshToken;
    this.clientId = input.clientId;
    this.clientSecret = input.clientSecret;
    this.accessTokenTtlSeconds =
      input.accessTokenTtlSeconds !== undefined
        ? input.accessTokenTtlSeconds
        : provider === "hubspot"
          ? 1800
          : null;
    this.accessTokenExpiresAt = this.expiryFrom(this.createdAt);
    this.rateLimit = input.rateLimit ?? { requests: 100, intervalMs: 10_000 };
    this.rateWindow = new RollingWindow(this.rateLimit.requests, this.rateLimit.intervalMs);
    this.dailyLimit = input.dailyLimit ?? (provider === "salesforce" ? 100_000 : 250_000);
    this.daily = new DailyAllowance(this.dailyLimit);
    this.maxConcurrent = input.maxConcurrent ?? 25;
    this.latencyMs = input.latencyMs ?? 0;
    this.log = new RequestLog(logCapacity);
    this.setFaults(input.faults ?? null);
  }

  expiryFrom(issuedAt: number): number | null {
    return this.accessTokenTtlSeconds === null
      ? null
      : issuedAt + this.accessTokenTtlSeconds * 1000;
  }

  setFaults(config: FaultConfig | null): void {
    this.faults = config ? new FaultInjector({ ...config }, defaultStatuses[this.provider]) : null;
  }

  applyLimits(update: AccountLimitsUpdate): void {
    if (update.rateLimit) {
      this.rateLimit = update.rateLimit;
      this.rateWindow = new RollingWindow(update.rateLimit.requests, update.rateLimit.intervalMs);
    }
    if (update.dailyLimit !== undefined) {
      this.dailyLimit = update.dailyLimit;
      this.daily = new DailyAllowance(update.dailyLimit);
    }
    if (update.maxConcurrent !== undefined) this.maxConcurrent = update.maxConcurrent;
    if (update.latencyMs !== undefined) this.latencyMs = update.latencyMs;
    if (update.accessTokenTtlSeconds !== undefined) {
      this.accessTokenTtlSeconds = update.accessTokenTtlSeconds;
      this.accessTokenExpiresAt = this.expiryFrom(Date.now());
    }
  }

  /** Records of one object, keyed by id; created on first use. */
  table(objectKey: string): Map<string, StoredRecord> {
    let table = this.tables.get(objectKey);
    if (!table) {
      table = new Map();
      this.tables.set(objectKey, table);
    }
    return table;
  }

  existingTable(objectKey: string): Map<string, StoredRecord> | undefined {
    return this.tables.get(objectKey);
  }

  allTables(): IterableIterator<[string, Map<string, StoredRecord>]> {
    return this.tables.entries();
  }

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  snapshot(): SandboxAccount {
    return {
      id: this.id,
      provider: this.provider,
      accessToken: this.accessToken,
      refreshToken: this.refreshToken,
      ...(this.clientId === undefined ? {} : { clientId: this.clientId }),
      ...(this.clientSecret === undefined ? {} : { clientSecret: this.clientSecret }),
      accessTokenTtlSeconds: this.accessTokenTtlSeconds,
      accessTokenExpiresAt: this.accessTokenExpiresAt,
      rateLimit: { ...this.rateLimit },
      dailyLimit: this.dailyLimit,
      maxConcurrent: this.maxConcurrent,
      latencyMs: this.latencyMs,
      faults: this.faults ? { ...this.faults.config } : null,
      createdAt: new Date(this.createdAt).toISOString(),
    };
  }
}

export type Authentication =
  | { kind: "ok"; account: AccountState }
  | { kind: "expired"; account: AccountState; expiredMsAgo: number }
  | { kind: "unknown" };

export type TokenRefresh =
  | { kind: "ok"; account: AccountState }
  | { kind: "unknownRefreshToken" }
  | { kind: "wrongClientId" }
  | { kind: "wrongClientSecret" };

export interface SandboxStoreOptions {
  /** Default true: an unknown bearer token gets a fresh account with default limits. */
  autoCreateAccounts?: boolean;
  /** Newest request-log entries kept per account. Default 100 000. */
  requestLogCap?: number;
}

/** Every account of one sandbox, looked up by id and by token. */
export class SandboxStore implements SandboxAdmin {
  readonly autoCreateAccounts: boolean;
  private readonly requestLogCap: number;
  private readonly accounts = new Map<string, AccountState>();
  private readonly byAccessToken = new Map<string, AccountState>();
  private readonly byRefreshToken = new Map<string, AccountState>();
  /** Tokens replaced by a refresh keep answering "expired" rather than "unknown". */
  private readonly retiredAccessTokens = new Map<string, { account: AccountState; at: number }>();
  private accountSequence = 0;

  constructor(options: SandboxStoreOptions = {}) {
    this.autoCreateAccounts = options.autoCreateAccounts ?? true;
    this.requestLogCap = options.requestLogCap ?? 100_000;
  }

  createAccount(input: CreateAccountInput): SandboxAccount {
    return this.addAccount(input).snapshot();
  }

  account(id: string): SandboxAccount | undefined {
    return this.accounts.get(id)?.snapshot();
  }

  accountByToken(accessToken: string): SandboxAccount | undefined {
    return this.byAccessToken.get(accessToken)?.snapshot();
  }

  records(accountId: string, objectName: string): SandboxRecord[] {
    const account = this.requireAccount(accountId);
    const table = account.existingTable(this.objectKey(account, objectName));
    if (!table) return [];
    return Array.from(table.values(), (record) => ({
      id: record.id,
      properties: { ...record.properties },
      createdAt: new Date(record.createdAt).toISOString(),
      updatedAt: new Date(record.updatedAt).toISOString(),
      ...(record.associations ? { associations: record.associations } : {}),
    }));
  }

  requests(accountId: string, since?: number): RequestLogEntry[] {
    return this.requireAccount(accountId).log.list(since);
  }

  setFaults(accountId: string, faults: FaultConfig | null): void {
    this.requireAccount(accountId).setFaults(faults);
  }

  expireAccessToken(accountId: string): void {
    this.requireAccount(accountId).accessTokenExpiresAt = Date.now();
  }

  seedRecord(accountId: string, objectName: string, properties: Record<string, unknown>): string {
    const account = this.requireAccount(accountId);
    const now = Date.now();
    if (account.provider === "hubspot") {
      const type = resolveHubSpotObjectType(objectName);
      if (!type) throw new UnknownObjectTypeError(`HubSpot has no object type "${objectName}"`);
      const stringified: Record<string, string> = {};
      for (const [name, value] of Object.entries(properties)) {
        stringified[name] = value === null || value === undefined ? "" : String(value);
      }
      return insertHubSpotRecord(account, type, stringified, now).id;
    }
    const type = resolveSObjectType(objectName);
    if (!type) throw new UnknownObjectTypeError(`Salesforce has no sObject type "${objectName}"`);
    return insertSObject(account, type, { ...properties }, now).id;
  }

  updateLimits(accountId: string, update: AccountLimitsUpdate): SandboxAccount {
    const account = this.requireAccount(accountId);
    account.applyLimits(update);
    return account.snapshot();
  }

  reset(): void {
    this.accounts.clear();
    this.byAccessToken.clear();
    this.byRefreshToken.clear();
    this.retiredAccessTokens.clear();
  }

  authenticate(provider: Provider, token: string, now: number): Authentication {
    const account = this.byAccessToken.get(token);
    if (account) {
      if (account.provider !== provider) return { kind: "unknown" };
      const expiresAt = account.accessTokenExpiresAt;
      if (expiresAt !== null && now >= expiresAt) {
        return { kind: "expired", account, expiredMsAgo: now - expiresAt };
      }
      return { kind: "ok", account };
    }
    const retired = this.retiredAccessTokens.get(token);
    if (retired) {
      if (retired.account.provider !== provider) return { kind: "unknown" };
      return { kind: "expired", account: retired.account, expiredMsAgo: now - retired.at };
    }
    if (!this.autoCreateAccounts) return { kind: "unknown" };
    // A token nobody created: make it an account that never expires, since whoever holds it
    // has no refresh token for it.
    const created = this.addAccount({ provider, accessToken: token, accessTokenTtlSeconds: null });
    return { kind: "ok", account: created };
  }

  refreshAccessToken(
    provider: Provider,
    grant: { refreshToken: string; clientId?: string; clientSecret?: string },
    now: number,
  ): TokenRefresh {
    const account = this.byRefreshToken.get(grant.refreshToken);
    if (!account || account.provider !== provider) return { kind: "unknownRefreshToken" };
    if (account.clientId !== undefined && grant.clientId !== account.clientId) {
      return { kind: "wrongClientId" };
    }
    if (account.clientSecret !== undefined && grant.clientSecret !== account.clientSecret) {
      return { kind: "wrongClientSecret" };
    }
    this.byAccessToken.delete(account.accessToken);
    this.retiredAccessTokens.set(account.accessToken, { account, at: now });
    account.accessToken = newAccessToken(provider, account.id);
    account.accessTokenExpiresAt = account.expiryFrom(now);
    this.byAccessToken.set(account.accessToken, account);
    return { kind: "ok", account };
  }

  state(accountId: string): AccountState | undefined {
    return this.accounts.get(accountId);
  }

  private addAccount(input: CreateAccountInput): AccountState {
    this.accountSequence += 1;
    const id =
      input.provider === "hubspot"
        ? String(40_000_000 + this.accountSequence)
        : salesforceRecordId("00D", this.accountSequence);
    const accessToken = input.accessToken ?? newAccessToken(input.provider, id);
    const refreshToken = input.refreshToken ?? newRefreshToken(input.provider);
    if (this.byAccessToken.has(accessToken) || this.retiredAccessTokens.has(accessToken)) {
      throw new AccountConflictError("accessToken is already in use by another account");
    }
    if (this.byRefreshToken.has(refreshToken)) {
      throw new AccountConflictError("refreshToken is already in use by another account");
    }
    const account = new AccountState(
      id,
      input.provider,
      input,
      { accessToken, refreshToken },
      this.requestLogCap,
    );
    this.accounts.set(id, account);
    this.byAccessToken.set(accessToken, account);
    this.byRefreshToken.set(refreshToken, account);
    return account;
  }

  private requireAccount(accountId: string): AccountState {
    const account = this.accounts.get(accountId);
    if (!account) throw new UnknownAccountError(accountId);
    return account;
  }

  private objectKey(account: AccountState, objectName: string): string {
    if (account.provider === "hubspot") {
      return resolveHubSpotObjectType(objectName)?.name ?? objectName;
    }
    return sobjectKey(objectName);
  }
}

export class UnknownAccountError extends Error {
  constructor(readonly accountId: string) {
    super(`no sandbox account ${accountId}`);
    this.name = "UnknownAccountError";
  }
}

export class AccountConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountConflictError";
  }
}

export class UnknownObjectTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownObjectTypeError";
  }
}

function newAccessToken(provider: Provider, accountId: string): string {
  const secret = randomBytes(32).toString("base64url");
  // Salesforce session ids start with the org id; HubSpot OAuth tokens are opaque.
  return provider === "salesforce" ? `${accountId.slice(0, 15)}!${secret}` : `CO${secret}`;
}

function newRefreshToken(provider: Provider): string {
  return provider === "salesforce"
    ? `5Aep861${randomBytes(32).toString("base64url")}`
    : `na1-${randomUUID()}`;
}

export function createSandboxAdmin(options: SandboxStoreOptions = {}): SandboxAdmin {
  return new SandboxStore(options);
}
