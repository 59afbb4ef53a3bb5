import { uuidv7 } from "@writ/contracts";
import type { WriteJob } from "@writ/queue";
import { benchEnv } from "../env";
import {
  describeLoad,
  type Measurement,
  measure,
  megabytes,
  sleep,
  warmupSeconds,
} from "../measure";
import { RssSampler } from "../processes";
import type { Figure } from "../report";
import { ResultBuilder, type Scenario } from "../scenario";
import {
  createSandboxAccount,
  httpJson,
  installTarget,
  singleWriteBody,
  unlimitedRate,
} from "../seed";
import { BenchStack, baselineEntries } from "../stack";
import { connections } from "./ingress";

const queuedWrites = 200_000;
const providerLatencyMs = 1000;
const enqueueChunk = 1000;

/** API RSS under scenario 1's load, unless ingress already measured it in this invocation. */
async function apiFigure(
  context: Parameters<Scenario["run"]>[0],
  result: ResultBuilder,
): Promise<Figure> {
  const fromIngress = context
    .earlier("ingress")
    ?.figures.find((figure) => figure.label === "API RSS peak");
  if (fromIngress) {
    result.note("API RSS under ingress load: taken from the ingress scenario of this same run.");
    return { ...fromIngress, label: "API RSS peak under ingress load" };
  }
  const stack = await BenchStack.start({ cpuProfile: context.cpuProfile });
  try {
    const target = await installTarget(stack.project!, "memory-api", "unused-token");
    const bare = await stack.startBaseline("bare-express", baselineEntries.bareExpress, []);
    const spec = {
      url: target.writeUrl,
      headers: target.headers,
      body: singleWriteBody(target.groupRef, { unique: false }),
      connections,
      durationSeconds: context.durationSeconds,
    };
    const writ: Measurement[] = [];
    const baseline: Measurement[] = [];
    for (let run = 1; run <= context.runs; run++) {
      const b = await measure(
        {
          ...spec,
          warmupSeconds: warmupSeconds(run),
          url: `${bare.url}${new URL(target.writeUrl).pathname}`,
        },
        [bare.child],
      );
      const w = await measure({ ...spec, warmupSeconds: warmupSeconds(run) }, [stack.api!]);
      await stack.clearQueue();
      context.log(
        `run ${run}: API RSS peak ${megabytes(w.rssPeakBytes.api).toFixed(0)} MB under ${describeLoad(w.load)}`,
      );
      writ.push(w);
      baseline.push(b);
    }
    return {
      label: "API RSS peak under ingress load",
      unit: "MB",
      runs: writ.map((m) => megabytes(m.rssPeakBytes.api)),
      baseline: {
        label: "bare Express",
        runs: baseline.map((m) => megabytes(m.rssPeakBytes[bare.child.name])),
      },
    };
  } finally {
    await stack.close();
  }
}

/** Records per large batch, and filler per record: a body just under the API's 1 MiB limit. */
const largeBatchRecords = 100;
const largeRecordFiller = 9000;

/**
 * The API under the heaviest legitimate body load: every connection sending maximum-size batches
 * (about 0.9 MB each). What bounds its memory here is the in-flight body budget
 * (WRIT_MAX_IN_FLIGHT_BODY_BYTES), not the request rate.
 */
async function largeBatchFigures(context: Parameters<Scenario["run"]>[0]): Promise<Figure[]> {
  const stack = await BenchStack.start({});
  try {
    const target = await installTarget(stack.project!, "memory-large", "unused-token");
    const bare = await stack.startBaseline("bare-express", baselineEntries.bareExpress, []);
    const body = JSON.stringify({
      groupRef: target.groupRef,
      type: "create",
      mode: "asynchronous",
      batch: Array.from({ length: largeBatchRecords }, (_, index) => ({
        record: {
          email: `bench-large-${index}@example.com`,
          firstname: "Ada",
          notes: "x".repeat(largeRecordFiller),
        },
      })),
    });
    const spec = {
      url: target.writeUrl,
      headers: target.headers,
      body,
      connections,
      durationSeconds: context.durationSeconds,
    };
    const writ: Measurement[] = [];
    const baseline: Measurement[] = [];
    for (let run = 1; run <= context.runs; run++) {
      baseline.push(
        await measure(
          { ...spec, warmupSeconds: 1, url: `${bare.url}${new URL(target.writeUrl).pathname}` },
          [bare.child],
        ),
      );
      const w = await measure({ ...spec, warmupSeconds: 1 }, [stack.api!]);
      await stack.clearQueue();
      context.log(
        `run ${run}: ${(body.length / 1e6).toFixed(2)} MB batches: API RSS peak ${megabytes(w.rssPeakBytes.api).toFixed(0)} MB under ${describeLoad(w.load)}, ${w.load.non2xx} non-2xx`,
      );
      writ.push(w);
    }
    return [
      {
        label: `API RSS peak, ${connections} connections sending ${(body.length / 1e6).toFixed(1)} MB batches`,
        unit: "MB",
        runs: writ.map((m) => megabytes(m.rssPeakBytes.api)),
        baseline: {
          label: "bare Express",
          runs: baseline.map((m) => megabytes(m.rssPeakBytes[bare.child.name])),
        },
      },
      {
        label: "Large batches accepted/s",
        unit: "req/s",
        runs: writ.map((m) => m.load.okPerSecond),
        baseline: { label: "bare Express", runs: baseline.map((m) => m.load.okPerSecond) },
      },
    ];
  } finally {
    await stack.close();
  }
}

/** Queues `count` copies of an accepted write, each its own operation and contact. */
async function enqueueCopies(stack: BenchStack, template: WriteJob, count: number): Promise<void> {
  const first = template.records[0]!;
  for (let done = 0; done < count; done += enqueueChunk) {
    const size = Math.min(enqueueChunk, count - done);
    await stack.queue.enqueueMany(
      Array.from({ length: size }, (_, offset) => ({
        ...template,
        operationId: uuidv7(),
        acceptedAt: Date.now(),
        records: [
          { ...first, record: { ...first.record, email: `bench-q${done + offset}@example.com` } },
        ],
      })),
    );
  }
}

export const memory: Scenario = {
  name: "memory",
  title:
    "Memory: API under load and under maximum-size batches, worker and Redis with 200,000 writes queued",
  async run(context) {
    const result = new ResultBuilder(
      this,
      `API: peak RSS (sampled every 100 ms from /proc) under scenario 1's load, against a bare Express app. Worker: ${queuedWrites.toLocaleString("en-US")} async single writes queued with no worker running — one accepted by the API, the rest copies of its job (new operation id and contact each) queued in bulk through Writ's own producer (WriteQueue.enqueueMany) — then a worker starts against a sandbox account that answers in ${providerLatencyMs} ms, so the backlog stays; its RSS is sampled for ${context.durationSeconds} s from ready. Redis: used_memory growth ÷ jobs queued. Baseline: the minimal pipeline's BullMQ jobs carrying the same request, and its worker (a ${providerLatencyMs} ms no-op) over that backlog. Large batches: ${connections} connections post async batches of ${largeBatchRecords} records of about ${largeRecordFiller / 1000} kB each (just under the 1 MiB body limit) for ${context.durationSeconds} s, against Writ's API and a bare Express app that parses the same body.`,
      {
        queuedWrites,
        providerLatencyMs,
        workerConcurrency: benchEnv.BENCH_WORKER_CONCURRENCY,
        apiLoadConnections: connections,
        durationSeconds: context.durationSeconds,
        runs: context.runs,
      },
    );
    result.figure({
      ...(await apiFigure(context, result)),
      target: { on: "value", op: "<=", threshold: 250 },
    });
    for (const figure of await largeBatchFigures(context)) result.figure(figure);

    const stack = await BenchStack.start({ sandbox: true, cpuProfile: context.cpuProfile });
    try {
      const account = await createSandboxAccount(stack.sandboxUrl, {
        provider: "hubspot",
        rateLimit: unlimitedRate,
        latencyMs: providerLatencyMs,
      });
      const target = await installTarget(
        stack.project!,
        "memory",
        account.accessToken,
        unlimitedRate,
      );
      const body = singleWriteBody(target.groupRef, { unique: false });

      const redisBefore = await stack.redisUsedMemory();
      const accepted = await httpJson<{ operationId: string }>(
        "POST",
        target.writeUrl,
        JSON.parse(body),
        target.headers,
      );
      const template = (await stack.queue.getJob(accepted.operationId))?.data;
      if (!template) throw new Error("the accepted write is not in the queue");
      const enqueueStarted = Date.now();
      await enqueueCopies(stack, template, queuedWrites - 1);
      const writBacklog = await stack.backlog();
      const writBytesPerJob = ((await stack.redisUsedMemory()) - redisBefore) / writBacklog;
      context.log(
        `queued ${writBacklog} writes in ${((Date.now() - enqueueStarted) / 1000).toFixed(1)} s; Redis +${(writBytesPerJob / 1024).toFixed(2)} KiB per write`,
      );

      const minimalApi = await stack.startMinimalApi();
      const minimalBefore = await stack.redisUsedMemory();
      const { groupRef, type, mode, record } = JSON.parse(body) as Record<string, unknown>;
      await httpJson("POST", `${minimalApi.url}/_bench/fill`, {
        count: queuedWrites,
        data: { groupRef, type, mode, record },
      });
      const minimalBytesPerJob = ((await stack.redisUsedMemory()) - minimalBefore) / queuedWrites;

      const writRss: number[] = [];
      const minimalRss: number[] = [];
      for (let run = 1; run <= context.runs; run++) {
        const worker = await stack.startWorker();
        const before = await stack.backlog();
        const sampler = new RssSampler([worker]);
        sampler.start();
        await sleep(context.durationSeconds * 1000);
        const peak = sampler.stop()[worker.name] ?? 0;
        const after = await stack.backlog();
        await stack.stopWorkers();
        writRss.push(megabytes(peak));

        const baselineWorker = await stack.startMinimalWorker(
          `minimal-worker-${run}`,
          providerLatencyMs,
        );
        const baselineSampler = new RssSampler([baselineWorker.child]);
        baselineSampler.start();
        await sleep(context.durationSeconds * 1000);
        const baselinePeak = baselineSampler.stop()[baselineWorker.child.name] ?? 0;
        await baselineWorker.child.stop();
        minimalRss.push(megabytes(baselinePeak));
        context.log(
          `run ${run}: worker RSS peak ${megabytes(peak).toFixed(0)} MB with ${before} → ${after} writes queued; minimal worker ${megabytes(baselinePeak).toFixed(0)} MB`,
        );
        result.detail({
          run,
          writWorkerRssBytes: peak,
          backlogBefore: before,
          backlogAfter: after,
          minimalWorkerRssBytes: baselinePeak,
        });
      }

      result.figure({
        label: `Worker RSS peak, ${queuedWrites.toLocaleString("en-US")} writes queued`,
        unit: "MB",
        runs: writRss,
        baseline: { label: "minimal BullMQ worker", runs: minimalRss },
        target: { on: "value", op: "<=", threshold: 400 },
      });
      result.figure({
        label: "Redis memory per queued write",
        unit: "bytes",
        runs: [writBytesPerJob],
        baseline: { label: "minimal BullMQ job", runs: [minimalBytesPerJob] },
        note: "one measurement (used_memory before and after queueing); other clients of the same Redis add noise",
      });
      result.detail({ redis: { writBytesPerJob, minimalBytesPerJob, writBacklog } });
      return result.build();
    } finally {
      await stack.close();
    }
  },
};
