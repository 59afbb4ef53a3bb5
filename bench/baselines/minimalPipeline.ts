// Baseline for the write path: the least a queue-backed write service can do. The `api` role is
// Express + a zod check of the write body + a BullMQ add, answering 202; the `worker` role is a
// BullMQ worker whose processor does nothing (or waits `--job-delay-ms`, to stand in for a slow
// provider). Writ is measured against this on the same machine in the same run.
//   node --import tsx bench/baselines/minimalPipeline.ts --role api --port 4101 --prefix '{b}'
//   node --import tsx bench/baselines/minimalPipeline.ts --role worker --port 4102 --prefix '{b}'
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { type ConnectionOptions, type JobsOptions, Queue, Worker } from "bullmq";
import express from "express";
import { z } from "zod";

const { values } = parseArgs({
  options: {
    role: { type: "string", default: "api" },
    port: { type: "string", default: "4101" },
    redis: { type: "string", default: "redis://127.0.0.1:6379" },
    prefix: { type: "string", default: "{bench-baseline}" },
    concurrency: { type: "string", default: "50" },
    "job-delay-ms": { type: "string", default: "0" },
  },
});

const redisUrl = new URL(values.redis);
const connection: ConnectionOptions = {
  host: redisUrl.hostname,
  port: Number(redisUrl.port || 6379),
  maxRetriesPerRequest: null,
};
const queueName = "writes";
// The same retention as Writ's write jobs, so Redis does the same bookkeeping per job.
const jobOptions: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

const recordSchema = z.record(z.string(), z.unknown());
const writeSchema = z
  .object({
    groupRef: z.string().min(1),
    type: z.enum(["create", "update", "delete"]),
    mode: z.enum(["synchronous", "asynchronous"]).default("synchronous"),
    record: recordSchema.optional(),
    batch: z
      .array(z.object({ record: recordSchema }))
      .min(1)
      .max(100)
      .optional(),
  })
  .refine((body) => (body.record === undefined) !== (body.batch === undefined), {
    message: "exactly one of record and batch",
  });

function listen(server: { listen(port: number, host: string, done: () => void): unknown }) {
  return new Promise<void>((resolve) => server.listen(Number(values.port), "127.0.0.1", resolve));
}

if (values.role === "api") {
  const queue = new Queue(queueName, { connection, prefix: values.prefix });
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use(express.json({ limit: "1mb" }));
  app.get("/jobs/:id", async (req, res) => {
    const state = await queue.getJobState(req.params.id);
    res.json({ status: state === "completed" ? "success" : state });
  });
  app.post("/_bench/drain", async (_req, res) => {
    await queue.drain(true);
    res.json(await queue.getJobCounts("waiting", "active", "delayed"));
  });
  app.get("/_bench/counts", async (_req, res) => {
    res.json(await queue.getJobCounts("waiting", "active", "delayed", "completed"));
  });
  // Queues `count` jobs carrying `data` without going through HTTP one by one (memory scenario).
  app.post("/_bench/fill", async (req, res) => {
    const { count, data } = z
      .object({ count: z.int().min(1), data: z.record(z.string(), z.unknown()) })
      .parse(req.body);
    for (let done = 0; done < count; done += 1000) {
      const size = Math.min(1000, count - done);
      await queue.addBulk(
        Array.from({ length: size }, () => ({
          name: "write",
          data: { ...data, acceptedAt: Date.now() },
          opts: { ...jobOptions, jobId: randomUUID() },
        })),
      );
    }
    res.json({ queued: count });
  });
  app.post("/{*path}", async (req, res) => {
    const parsed = writeSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ issues: parsed.error.issues });
      return;
    }
    const operationId = randomUUID();
    await queue.add(
      "write",
      { ...parsed.data, acceptedAt: Date.now() },
      {
        ...jobOptions,
        jobId: operationId,
      },
    );
    res.status(202).json({ operationId });
  });
  const server = app.listen(Number(values.port), "127.0.0.1");
  server.keepAliveTimeout = 65_000;
  const stop = () => server.close(() => void queue.close().then(() => process.exit(0)));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  const delayMs = Number(values["job-delay-ms"]);
  let completed = 0;
  const worker = new Worker(
    queueName,
    async () => {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { status: "success" };
    },
    { connection, prefix: values.prefix, concurrency: Number(values.concurrency) },
  );
  worker.on("completed", () => {
    completed++;
  });
  await worker.waitUntilReady();
  const health = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(req.url === "/stats" ? { completed } : { status: "ok" }));
  });
  await listen(health);
  const stop = () => void worker.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
