import express, { type ErrorRequestHandler, type Request, type Router } from "express";
import { z } from "zod";
import {
  AccountConflictError,
  type SandboxStore,
  UnknownAccountError,
  UnknownObjectTypeError,
} from "./accounts";
import { lockErrorCode } from "./faults";
import { pathParam } from "./pathParam";

const rateLimitSchema = z.object({
  requests: z.number().int().positive(),
  intervalMs: z.number().int().positive(),
});

export const faultConfigSchema = z.object({
  errorRate: z.number().min(0).max(1).optional(),
  statuses: z
    .array(z.union([z.number().int().min(100).max(599), z.literal(lockErrorCode)]))
    .optional(),
  lockErrorRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).optional(),
  seed: z.number().int().optional(),
});

const limitsSchema = z.object({
  rateLimit: rateLimitSchema.optional(),
  dailyLimit: z.number().int().positive().optional(),
  maxConcurrent: z.number().int().positive().optional(),
  latencyMs: z.number().int().min(0).optional(),
  accessTokenTtlSeconds: z.number().int().positive().nullable().optional(),
});

export const createAccountSchema = limitsSchema.extend({
  provider: z.enum(["hubspot", "salesforce"]),
  accessToken: z.string().min(1).optional(),
  refreshToken: z.string().min(1).optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  faults: faultConfigSchema.optional(),
});

const recordFieldsSchema = z.record(z.string(), z.unknown());

class AdminInputError extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super("invalid request body");
  }
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AdminInputError(
      parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  return parsed.data;
}

function accountId(req: Request): string {
  return pathParam(req, "id");
}

const handleAdminErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof AdminInputError) {
    res.status(400).json({ error: error.message, issues: error.issues });
  } else if (error instanceof UnknownAccountError) {
    res.status(404).json({ error: error.message });
  } else if (error instanceof AccountConflictError) {
    res.status(409).json({ error: error.message });
  } else if (error instanceof UnknownObjectTypeError) {
    res.status(400).json({ error: error.message });
  } else if ((error as { type?: string }).type === "entity.parse.failed") {
    res.status(400).json({ error: "request body is not valid JSON" });
  } else {
    next(error);
  }
};

/** The HTTP mirror of SandboxAdmin, for tests and benchmarks running in other processes. */
export function adminRouter(store: SandboxStore): Router {
  const router = express.Router();
  // strict: false so `PUT .../faults` can take a bare `null`.
  router.use(express.json({ limit: "20mb", strict: false }));

  router.post("/accounts", (req, res) => {
    res.status(201).json(store.createAccount(parseBody(createAccountSchema, req.body)));
  });
  router.get("/accounts", (req, res) => {
    const token = typeof req.query.accessToken === "string" ? req.query.accessToken : undefined;
    if (!token) {
      res.status(400).json({ error: "accessToken query parameter is required" });
      return;
    }
    const account = store.accountByToken(token);
    if (account) res.status(200).json(account);
    else res.status(404).json({ error: "no account has that access token" });
  });
  router.get("/accounts/:id", (req, res) => {
    const account = store.account(accountId(req));
    if (account) res.status(200).json(account);
    else res.status(404).json({ error: `no sandbox account ${accountId(req)}` });
  });
  router.patch("/accounts/:id", (req, res) => {
    res.status(200).json(store.updateLimits(accountId(req), parseBody(limitsSchema, req.body)));
  });
  router.get("/accounts/:id/records/:objectName", (req, res) => {
    res.status(200).json(store.records(accountId(req), pathParam(req, "objectName")));
  });
  router.post("/accounts/:id/records/:objectName", (req, res) => {
    const fields = parseBody(recordFieldsSchema, req.body);
    res
      .status(201)
      .json({ id: store.seedRecord(accountId(req), pathParam(req, "objectName"), fields) });
  });
  router.get("/accounts/:id/requests", (req, res) => {
    const raw = typeof req.query.since === "string" ? Number(req.query.since) : undefined;
    if (raw !== undefined && !Number.isFinite(raw)) {
      res.status(400).json({ error: "since must be a number of milliseconds since the epoch" });
      return;
    }
    res.status(200).json(store.requests(accountId(req), raw));
  });
  router.put("/accounts/:id/faults", (req, res) => {
    const faults = parseBody(faultConfigSchema.nullable(), req.body ?? null);
    store.setFaults(accountId(req), faults);
    res.status(200).json(store.account(accountId(req)));
  });
  router.post("/accounts/:id/expire-token", (req, res) => {
    store.expireAccessToken(accountId(req));
    res.status(200).json(store.account(accountId(req)));
  });
  router.post("/reset", (_req, res) => {
    store.reset();
    res.status(204).end();
  });
  router.use(handleAdminErrors);
  return router;
}
