import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db, migrate } from "@writ/db";
import { createRedis, type Redis, WriteQueue } from "@writ/queue";
import { generateEncryptionKey } from "@writ/secrets";
import { bundle, entries, nodeFlags } from "../scripts/build";
import { benchEnv } from "./env";
import { OtlpSink } from "./otlpSink";
import { freePort, type ManagedChild, startChild } from "./processes";
import { type BenchProject, seedProject } from "./seed";

/**
 * One scenario's world: a fresh database (`writ_bench_<random>`, migrated, dropped at the end),
 * a unique queue prefix, and Writ's processes as children. Baselines run beside it under the
 * same prefix family, so closing the stack removes every key either left in Redis.
 */

export type ProfiledProcess = "api" | "worker";

export interface StackOptions {
  sandbox?: boolean;
  /** Start one worker right away. */
  worker?: boolean;
  workerEnv?: Record<string, string>;
  /** Record a V8 CPU profile of this process into bench/results/profiles. */
  cpuProfile?: ProfiledProcess | undefined;
}

/**
 * Every process runs compiled, as deployed: Writ's from `npm run build`'s dist/, the baselines
 * bundled the same way into dist/bench/, so neither side pays for tsx. `buildProcesses()` makes
 * them at the start of a bench run.
 */
const writEntries = { api: "dist/api.mjs", worker: "dist/worker.mjs", sandbox: "dist/sandbox.mjs" };
export const baselineEntries = {
  bareExpress: "dist/bench/bareExpress.mjs",
  minimalPipeline: "dist/bench/minimalPipeline.mjs",
};

export async function buildProcesses(): Promise<void> {
  await bundle(entries, "dist");
  await bundle(
    {
      bareExpress: "bench/baselines/bareExpress.ts",
      minimalPipeline: "bench/baselines/minimalPipeline.ts",
    },
    "dist/bench",
  );
}

export const profilesDir = new URL("results/profiles/", import.meta.url).pathname;

function databaseUrlFor(name: string): string {
  const url = new URL(benchEnv.BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export class BenchStack {
  private static readonly open = new Set<BenchStack>();

  /** Stops every stack still running (Ctrl-C). */
  static async closeAll(): Promise<void> {
    await Promise.all([...BenchStack.open].map((stack) => stack.close()));
  }

  readonly id = randomBytes(4).toString("hex");
  readonly databaseName = `writ_bench_${this.id}`;
  readonly databaseUrl = databaseUrlFor(this.databaseName);
  /** Keys of every process in this stack (Writ and baselines) start with this. */
  readonly keyPrefix = `{bench-${this.id}`;
  readonly queuePrefix = `${this.keyPrefix}}`;
  /** The minimal pipeline's queue, inside this stack's key space. */
  readonly minimalPrefix = `${this.keyPrefix}-minimal}`;
  readonly adminToken = `bench-admin-${randomBytes(12).toString("hex")}`;
  readonly encryptionKey = generateEncryptionKey();
  readonly logDir = join(tmpdir(), `writ-bench-${this.id}`);
  readonly children: ManagedChild[] = [];
  readonly redis: Redis = createRedis(benchEnv.BENCH_REDIS_URL);
  /** Where Writ's processes export their spans (tracing is on, as in a deployment). */
  private traces: OtlpSink | undefined;
  readonly queue = new WriteQueue({ connection: this.redis, prefix: this.queuePrefix });
  private db: Db | undefined;
  sandbox: ManagedChild | undefined;
  sandboxUrl = "";
  api: ManagedChild | undefined;
  apiUrl = "";
  workers: ManagedChild[] = [];
  project: BenchProject | undefined;
  private workerCount = 0;

  private constructor(private readonly options: StackOptions) {}

  static async start(options: StackOptions = {}): Promise<BenchStack> {
    const stack = new BenchStack(options);
    BenchStack.open.add(stack);
    try {
      await stack.boot();
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  private commonEnv(): Record<string, string> {
    return {
      NODE_ENV: "production",
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: benchEnv.BENCH_REDIS_URL,
      WRIT_QUEUE_PREFIX: this.queuePrefix,
      WRIT_ENCRYPTION_KEY: this.encryptionKey,
      LOG_LEVEL: benchEnv.BENCH_LOG_LEVEL,
      ...(this.traces ? { OTEL_EXPORTER_OTLP_ENDPOINT: this.traces.url } : {}),
      ...(benchEnv.BENCH_TRACES_SAMPLE_RATIO === undefined
        ? {}
        : {
            OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
            OTEL_TRACES_SAMPLER_ARG: String(benchEnv.BENCH_TRACES_SAMPLE_RATIO),
          }),
    };
  }

  private async boot(): Promise<void> {
    if (benchEnv.BENCH_TRACING === "on") this.traces = await OtlpSink.start();
    await migrate(this.databaseUrl);
    this.db = createDb(this.databaseUrl, { poolSize: 2 });
    if (this.options.sandbox) {
      const port = await freePort();
      this.sandboxUrl = `http://127.0.0.1:${port}`;
      this.sandbox = await this.launch({
        name: "sandbox",
        entry: writEntries.sandbox,
        env: {
          NODE_ENV: "production",
          SANDBOX_PORT: String(port),
          SANDBOX_AUTO_CREATE_ACCOUNTS: "false",
          SANDBOX_REQUEST_LOG_CAP: "1000000",
        },
        healthUrl: `${this.sandboxUrl}/healthz`,
      });
    }
    const apiPort = await freePort();
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.api = await this.launch({
      name: "api",
      entry: writEntries.api,
      env: {
        ...this.commonEnv(),
        PORT: String(apiPort),
        HOST: "127.0.0.1",
        WRIT_ADMIN_TOKEN: this.adminToken,
      },
      healthUrl: `${this.apiUrl}/readyz`,
      cpuProfileDir: this.options.cpuProfile === "api" ? profilesDir : undefined,
      // As deployed; BENCH_NODE_FLAGS come last, so they can override.
      nodeFlags: [...(nodeFlags.api ?? []), ...benchEnv.BENCH_NODE_FLAGS],
    });
    this.project = await seedProject(this.apiUrl, this.adminToken, `bench-${this.id}`);
    if (this.options.worker) await this.startWorker();
  }

  private async launch(spec: Parameters<typeof startChild>[0]): Promise<ManagedChild> {
    const child = await startChild(spec, this.logDir);
    this.children.push(child);
    return child;
  }

  /** A Writ worker pointed at the sandbox. */
  async startWorker(extraEnv: Record<string, string> = {}): Promise<ManagedChild> {
    const port = await freePort();
    const worker = await this.launch({
      name: `worker${this.workerCount++ || ""}`,
      entry: writEntries.worker,
      env: {
        ...this.commonEnv(),
        WRIT_WORKER_PORT: String(port),
        WRIT_WORKER_CONCURRENCY: String(benchEnv.BENCH_WORKER_CONCURRENCY),
        WRIT_PROVIDER_BASE_URL_HUBSPOT: `${this.sandboxUrl}/hubspot`,
        WRIT_PROVIDER_BASE_URL_SALESFORCE: `${this.sandboxUrl}/salesforce`,
        WRIT_PROVIDER_TOKEN_URL_HUBSPOT: `${this.sandboxUrl}/hubspot/oauth/v1/token`,
        WRIT_PROVIDER_TOKEN_URL_SALESFORCE: `${this.sandboxUrl}/salesforce/services/oauth2/token`,
        ...this.options.workerEnv,
        ...extraEnv,
      },
      healthUrl: `http://127.0.0.1:${port}/readyz`,
      cpuProfileDir: this.options.cpuProfile === "worker" ? profilesDir : undefined,
      nodeFlags: [...(nodeFlags.worker ?? []), ...benchEnv.BENCH_NODE_FLAGS],
    });
    this.workers.push(worker);
    return worker;
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    this.workers = [];
  }

  /** A baseline process (bench/baselines/*), stopped with the stack; `name` must be unique. */
  async startBaseline(
    name: string,
    entry: string,
    args: string[],
    healthPath = "/healthz",
  ): Promise<{ child: ManagedChild; url: string }> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = await this.launch({
      name,
      entry,
      args: ["--port", String(port), ...args],
      env: { NODE_ENV: "production" },
      healthUrl: `${url}${healthPath}`,
    });
    return { child, url };
  }

  /** The minimal pipeline's ingress (bench/baselines/minimalPipeline.ts), on its own queue. */
  startMinimalApi(): Promise<{ child: ManagedChild; url: string }> {
    return this.startBaseline("minimal-api", baselineEntries.minimalPipeline, [
      "--role",
      "api",
      "--prefix",
      this.minimalPrefix,
      "--redis",
      benchEnv.BENCH_REDIS_URL,
    ]);
  }

  /** A minimal pipeline worker: a no-op processor, or one that waits `jobDelayMs`. */
  startMinimalWorker(name = "minimal-worker", jobDelayMs = 0) {
    return this.startBaseline(name, baselineEntries.minimalPipeline, [
      "--role",
      "worker",
      "--prefix",
      this.minimalPrefix,
      "--redis",
      benchEnv.BENCH_REDIS_URL,
      "--concurrency",
      String(benchEnv.BENCH_WORKER_CONCURRENCY),
      "--job-delay-ms",
      String(jobDelayMs),
    ]);
  }

  /** Writes waiting, delayed or running. */
  async backlog(): Promise<number> {
    const counts = await this.queue.counts();
    return counts.waiting + counts.active + counts.delayed;
  }

  /** Drops queued writes (a scenario's leftovers) so the next run starts empty. */
  async clearQueue(): Promise<void> {
    await this.queue.queue.drain(true);
  }

  /** Operations recorded as succeeded in PostgreSQL. */
  async succeededOperations(): Promise<number> {
    if (!this.db) return 0;
    const rows = await this.db.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM "Operation" WHERE status = 'success'`,
    );
    return rows[0]?.n ?? 0;
  }

  /** Operations by status, optionally for one groupRef. */
  async operationsByStatus(groupRef?: string): Promise<Record<string, number>> {
    if (!this.db) return {};
    const rows = groupRef
      ? await this.db.$queryRawUnsafe<Array<{ status: string; n: number }>>(
          `SELECT status, count(*)::int AS n FROM "Operation" WHERE "groupRef" = $1 GROUP BY status`,
          groupRef,
        )
      : await this.db.$queryRawUnsafe<Array<{ status: string; n: number }>>(
          `SELECT status, count(*)::int AS n FROM "Operation" GROUP BY status`,
        );
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  async redisUsedMemory(): Promise<number> {
    const info = await this.redis.info("memory");
    return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
  }

  /** Stops every process, removes this stack's Redis keys and drops its database. Never throws. */
  async close(): Promise<void> {
    BenchStack.open.delete(this);
    await Promise.all(this.children.map((child) => child.stop().catch(() => {})));
    await this.queue.close().catch(() => {});
    await this.deleteKeys().catch((error: Error) =>
      console.error(`[bench] could not delete ${this.keyPrefix}* keys: ${error.message}`),
    );
    this.redis.disconnect();
    if (this.traces) {
      if (this.traces.exports === 0)
        console.error("[bench] no spans reached the OTLP sink: Writ ran with tracing off");
      await this.traces.close();
    }
    await this.db?.$disconnect().catch(() => {});
    for (let attempt = 1; ; attempt++) {
      try {
        await dropDatabase(this.databaseName);
        return;
      } catch (error) {
        if (attempt >= 5) {
          console.error(
            `[bench] could not drop database ${this.databaseName}: ${(error as Error).message}`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  private async deleteKeys(): Promise<void> {
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        "MATCH",
        `${this.keyPrefix}*`,
        "COUNT",
        5000,
      );
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys);
    } while (cursor !== "0");
  }
}

async function dropDatabase(name: string): Promise<void> {
  const admin = createDb(databaseUrlFor("postgres"), { poolSize: 1 });
  try {
    await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.$disconnect();
  }
}
