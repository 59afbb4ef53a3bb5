import { benchEnv } from "../env";
import type { LoadSpec } from "../load";
import {
  cpuMsPer,
  describeLoad,
  type Measurement,
  measure,
  megabytes,
  waitFor,
  warmupSeconds,
} from "../measure";
import type { ManagedChild } from "../processes";
import { ResultBuilder, type Scenario } from "../scenario";
import {
  createSandboxAccount,
  httpJson,
  installTarget,
  singleWriteBody,
  unlimitedRate,
} from "../seed";
import { BenchStack } from "../stack";

const floodConnections = 32;
/** The sustained window offers this share of the throughput just measured. */
const sustainedShare = 0.8;

/** One system under test, as the scenario drives it: Writ, or the minimal pipeline. */
interface Pipeline {
  name: string;
  spec: LoadSpec;
  watched: ManagedChild[];
  /** Writes finished so far (Writ: operations with status success in PostgreSQL). */
  completed(): Promise<number>;
  backlog(): Promise<number>;
  clear(): Promise<void>;
}

interface WindowResult {
  measurement: Measurement;
  completedPerSecond: number;
  backlogBefore: number;
  backlogAfter: number;
}

async function runWindow(pipeline: Pipeline, spec: LoadSpec): Promise<WindowResult> {
  let before: Promise<[number, number]> | undefined;
  let after: Promise<[number, number]> | undefined;
  let startedAt = 0;
  let endedAt = 0;
  // Read at the window's edges, awaited after it: a failure surfaces then, not as a crash.
  const snapshot = () => {
    const reading = Promise.all([pipeline.completed(), pipeline.backlog()]);
    reading.catch(() => {});
    return reading;
  };
  const measurement = await measure(spec, pipeline.watched, {
    onStart() {
      startedAt = performance.now();
      before = snapshot();
    },
    onEnd() {
      endedAt = performance.now();
      after = snapshot();
    },
  });
  const [completedBefore, backlogBefore] = await before!;
  const [completedAfter, backlogAfter] = await after!;
  return {
    measurement,
    completedPerSecond: (completedAfter - completedBefore) / ((endedAt - startedAt) / 1000),
    backlogBefore,
    backlogAfter,
  };
}

async function settle(pipeline: Pipeline): Promise<void> {
  await pipeline.clear();
  await waitFor(async () => (await pipeline.backlog()) === 0, 30_000);
}

export const endToEnd: Scenario = {
  name: "end-to-end",
  title: "Async single writes accepted, written to the provider and recorded",
  async run(context) {
    const duration = context.durationSeconds;
    const sustainedDuration = Math.max(3, Math.round(duration / 2));
    const result = new ResultBuilder(
      this,
      `Throughput: ${floodConnections} connections post async single writes (unique contacts) for ${duration} s while one worker writes them to the sandbox's HubSpot (an account without a practical rate limit, and the connection's rate-limit override raised to match, so the provider's budget is not what is measured) and records each outcome; completed writes/s counts operations that reached status success in PostgreSQL during the window. Then the queue is cleared and a ${sustainedDuration} s window offers a fixed ${sustainedShare * 100} % of that throughput, to check the backlog holds steady. Baseline: Express + zod + BullMQ add, and a BullMQ worker whose processor does nothing, driven the same way, interleaved run by run.`,
      {
        floodConnections,
        durationSeconds: duration,
        sustainedSeconds: sustainedDuration,
        sustainedShare,
        workerConcurrency: benchEnv.BENCH_WORKER_CONCURRENCY,
        runs: context.runs,
      },
    );
    const stack = await BenchStack.start({
      sandbox: true,
      worker: true,
      cpuProfile: context.cpuProfile,
    });
    try {
      const account = await createSandboxAccount(stack.sandboxUrl, {
        provider: "hubspot",
        rateLimit: unlimitedRate,
      });
      const target = await installTarget(
        stack.project!,
        "end-to-end",
        account.accessToken,
        unlimitedRate,
      );
      const body = singleWriteBody(target.groupRef, { unique: true });
      const writ: Pipeline = {
        name: "Writ",
        spec: { url: target.writeUrl, headers: target.headers, body, connections: 1, unique: true },
        watched: [stack.api!, stack.workers[0]!, stack.sandbox!],
        completed: () => stack.succeededOperations(),
        backlog: () => stack.backlog(),
        clear: () => stack.clearQueue(),
      };

      const minimalApi = await stack.startMinimalApi();
      const minimalWorker = await stack.startMinimalWorker();
      const counts = () =>
        httpJson<Record<string, number>>("GET", `${minimalApi.url}/_bench/counts`);
      const minimal: Pipeline = {
        name: "minimal pipeline",
        spec: {
          url: `${minimalApi.url}${new URL(target.writeUrl).pathname}`,
          headers: { "Content-Type": "application/json" },
          body,
          connections: 1,
          unique: true,
        },
        watched: [minimalApi.child, minimalWorker.child],
        completed: async () =>
          (await httpJson<{ completed: number }>("GET", `${minimalWorker.url}/stats`)).completed,
        backlog: async () => {
          const c = await counts();
          return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0);
        },
        clear: async () => {
          await httpJson("POST", `${minimalApi.url}/_bench/drain`);
        },
      };

      const samples = new Map<string, { flood: WindowResult[]; sustained: WindowResult[] }>();
      for (const pipeline of [minimal, writ])
        samples.set(pipeline.name, { flood: [], sustained: [] });
      for (let run = 1; run <= context.runs; run++) {
        for (const pipeline of [minimal, writ]) {
          const flood = await runWindow(pipeline, {
            ...pipeline.spec,
            connections: floodConnections,
            durationSeconds: duration,
            warmupSeconds: warmupSeconds(run),
          });
          context.log(
            `run ${run} ${pipeline.name}: flood ${flood.completedPerSecond.toFixed(0)} completed/s, accepted ${describeLoad(flood.measurement.load)}, backlog ${flood.backlogBefore} → ${flood.backlogAfter}`,
          );
          await settle(pipeline);
          const rate = Math.max(1, Math.round(flood.completedPerSecond * sustainedShare));
          const sustained = await runWindow(pipeline, {
            ...pipeline.spec,
            connections: Math.min(20, rate),
            overallRate: rate,
            durationSeconds: sustainedDuration,
          });
          context.log(
            `run ${run} ${pipeline.name}: sustained ${rate}/s offered, ${sustained.completedPerSecond.toFixed(0)} completed/s, backlog ${sustained.backlogBefore} → ${sustained.backlogAfter}`,
          );
          await waitFor(async () => (await pipeline.backlog()) === 0, 30_000);
          await settle(pipeline);
          samples.get(pipeline.name)!.flood.push(flood);
          samples.get(pipeline.name)!.sustained.push(sustained);
          result.detail({ run, pipeline: pipeline.name, flood, sustained, offeredRate: rate });
          for (const sample of flood.measurement.load.sampleErrors)
            result.note(`${pipeline.name} answered: ${sample}`);
        }
      }

      const outcomes = await stack.operationsByStatus();
      result.detail({ writOperationsByStatus: outcomes });
      if (outcomes.failure) result.note(`${outcomes.failure} Writ operations ended in failure.`);
      const w = samples.get(writ.name)!;
      const m = samples.get(minimal.name)!;
      const label = "minimal pipeline";
      const growth = (s: WindowResult) => s.backlogAfter - s.backlogBefore;
      const cpuPerWrite = (s: WindowResult, names: string[]) =>
        cpuMsPer(
          names.reduce((sum, name) => sum + (s.measurement.cpuSeconds[name] ?? 0), 0),
          s.completedPerSecond * s.measurement.load.durationSeconds,
        );
      result.figure({
        label: "Completed writes/s",
        unit: "writes/s",
        runs: w.flood.map((s) => s.completedPerSecond),
        baseline: { label, runs: m.flood.map((s) => s.completedPerSecond) },
        target: { on: "ratio", op: ">=", threshold: 0.6 },
      });
      result.figure({
        label: "Accepted writes/s while the worker runs",
        unit: "req/s",
        runs: w.flood.map((s) => s.measurement.load.okPerSecond),
        baseline: { label, runs: m.flood.map((s) => s.measurement.load.okPerSecond) },
      });
      result.figure({
        label: `Backlog change at ${sustainedShare * 100} % of throughput`,
        unit: "count",
        runs: w.sustained.map(growth),
        baseline: { label, runs: m.sustained.map(growth) },
        ratio: false,
        note: `jobs waiting or running at the end of the ${sustainedDuration} s fixed-rate window minus at its start; near 0 means the pipeline keeps up`,
      });
      result.figure({
        label: `Completed writes/s at ${sustainedShare * 100} % of throughput`,
        unit: "writes/s",
        runs: w.sustained.map((s) => s.completedPerSecond),
        baseline: { label, runs: m.sustained.map((s) => s.completedPerSecond) },
      });
      result.figure({
        label: "CPU per completed write (API + worker)",
        unit: "ms CPU",
        runs: w.flood.map((s) => cpuPerWrite(s, ["api", "worker"])),
        baseline: {
          label,
          runs: m.flood.map((s) =>
            cpuPerWrite(s, [minimalApi.child.name, minimalWorker.child.name]),
          ),
        },
        note: "the sandbox's own CPU is not included",
      });
      result.figure({
        label: "Worker RSS peak",
        unit: "MB",
        runs: w.flood.map((s) => megabytes(s.measurement.rssPeakBytes.worker)),
        baseline: {
          label,
          runs: m.flood.map((s) => megabytes(s.measurement.rssPeakBytes[minimalWorker.child.name])),
        },
      });
      return result.build();
    } finally {
      await stack.close();
    }
  },
};
