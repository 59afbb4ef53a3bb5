import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { type ApiRuntime, parseApiEnv, startApi } from "@writ/api";
import { type Sandbox, startSandbox } from "@writ/sandbox";
import { generateEncryptionKey } from "@writ/secrets";
import type { SpanExporter } from "@writ/telemetry";
import {
  createTestDatabase,
  type TestDatabase,
  testRedisUrl,
  uniqueRedisPrefix,
} from "@writ/testing";
import { parseWorkerEnv, startWorker, type WorkerRuntime } from "@writ/worker";

/**
 * A whole Writ for one test file: its own database (cloned from the migrated template), its own
 * Redis key prefix, the sandbox standing in for HubSpot and Salesforce, the API, and workers.
 */
export interface TestStack {
  api: ApiRuntime;
  apiUrl: string;
  sandbox: Sandbox;
  database: TestDatabase;
  prefix: string;
  adminToken: string;
  workers: WorkerRuntime[];
  startWorker(env?: Record<string, string>): Promise<WorkerRuntime>;
  /**
   * A worker as a separate OS process (`node --import tsx apps/worker/src/main.ts`), logging at
   * info or lower: its "worker started" line is how the stack knows it is ready.
   */
  spawnWorkerProcess(env?: Record<string, string>): Promise<WorkerProcess>;
  workerEnv: Record<string, string>;
  close(): Promise<void>;
}

export interface WorkerProcess {
  pid: number;
  /** Its /healthz, /readyz and /metrics server, from its "worker started" log line. */
  healthUrl: string | undefined;
  /** SIGTERM, then wait for the process to exit. */
  stop(): Promise<number | null>;
}

export interface StackOptions {
  workers?: number;
  /** A Redis other than the shared test one (e.g. one the test restarts). */
  redisUrl?: string;
  apiEnv?: Record<string, string>;
  workerEnv?: Record<string, string>;
  /** Receives the spans of the API and of the in-process workers (one provider per process). */
  spanExporter?: SpanExporter;
}

export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const prefix = `{${uniqueRedisPrefix()}}`;
  const sandbox = await startSandbox({ port: 0 });
  const adminToken = "test-admin-token-0123456789";
  const common = {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl ?? testRedisUrl,
    WRIT_QUEUE_PREFIX: prefix,
    WRIT_ENCRYPTION_KEY: generateEncryptionKey(),
    LOG_LEVEL: "silent",
  };
  const api = await startApi(
    parseApiEnv({
      ...common,
      PORT: "0",
      HOST: "127.0.0.1",
      WRIT_ADMIN_TOKEN: adminToken,
      ...options.apiEnv,
    }),
    { spanExporter: options.spanExporter },
  );
  const workers: WorkerRuntime[] = [];
  const processes: WorkerProcess[] = [];
  const workerEnv: Record<string, string> = {
    ...common,
    WRIT_PROVIDER_BASE_URL_HUBSPOT: `${sandbox.url}/hubspot`,
    WRIT_PROVIDER_BASE_URL_SALESFORCE: `${sandbox.url}/salesforce`,
    WRIT_PROVIDER_TOKEN_URL_HUBSPOT: `${sandbox.url}/hubspot/oauth/v1/token`,
    WRIT_PROVIDER_TOKEN_URL_SALESFORCE: `${sandbox.url}/salesforce/services/oauth2/token`,
    WRIT_WORKER_CONCURRENCY: "20",
    ...options.workerEnv,
  };
  const launchWorker = async (env: Record<string, string> = {}) => {
    const worker = await startWorker(parseWorkerEnv({ ...workerEnv, ...env }), {
      spanExporter: options.spanExporter,
    });
    workers.push(worker);
    return worker;
  };
  const spawnWorkerProcess = async (env: Record<string, string> = {}): Promise<WorkerProcess> => {
    const child = spawn(process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"], {
      env: { ...process.env, ...workerEnv, LOG_LEVEL: "info", WRIT_WORKER_PORT: "0", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );
    // Ready once it logs "worker started" (its BullMQ worker is connected), which also says
    // where its health server listens. Every later line is read too, so the pipe never fills.
    const startup = await new Promise<{ healthUrl?: string }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("worker process did not start within 30 s")),
        30_000,
      );
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`worker process exited with ${code}`));
      });
      createInterface({ input: child.stdout }).on("line", (line) => {
        let entry: { msg?: unknown; healthUrl?: string } | undefined;
        try {
          entry = JSON.parse(line);
        } catch {
          return;
        }
        if (entry?.msg === "worker started") {
          clearTimeout(timer);
          resolve(entry);
        }
      });
    });
    const handle: WorkerProcess = {
      pid: child.pid ?? 0,
      healthUrl: startup.healthUrl,
      async stop() {
        if (child.exitCode === null) child.kill("SIGTERM");
        return exited;
      },
    };
    processes.push(handle);
    return handle;
  };
  for (let i = 0; i < (options.workers ?? 1); i++) await launchWorker();
  return {
    api,
    apiUrl: api.url,
    sandbox,
    database,
    prefix,
    adminToken,
    workers,
    startWorker: launchWorker,
    spawnWorkerProcess,
    workerEnv,
    async close() {
      await Promise.all(processes.map((worker) => worker.stop()));
      await Promise.all(workers.map((worker) => worker.close()));
      // Leave nothing of this file's queue behind in the shared Redis.
      await api.deps.writes.queue.obliterate({ force: true }).catch(() => {});
      await api.close();
      await sandbox.close();
      await database.drop();
    },
  };
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A tiny HTTP client for tests: JSON in, parsed JSON (or text) out. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** A project with an API key, and a client bound to both. */
export async function createProject(stack: TestStack, name: string) {
  const created = await call(stack.apiUrl, "POST", "/v1/projects", {
    body: { name },
    headers: { Authorization: `Bearer ${stack.adminToken}` },
  });
  if (created.status !== 201)
    throw new Error(`project: ${created.status} ${JSON.stringify(created.body)}`);
  const key = await call(stack.apiUrl, "POST", `/v1/projects/${created.body.id}/api-keys`, {
    body: { label: "tests" },
    headers: { Authorization: `Bearer ${stack.adminToken}` },
  });
  if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
  const apiKey: string = key.body.key;
  const projectId: string = created.body.id;
  const request = <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    call<T>(stack.apiUrl, method, path.replace("{p}", projectId), {
      body,
      headers: { "X-Api-Key": apiKey, ...headers },
    });
  return { projectId, name, apiKey, request };
}

export type TestProject = Awaited<ReturnType<typeof createProject>>;
