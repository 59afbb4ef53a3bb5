import { benchEnv } from "../env";
import { type LoadResult, type LoadSpec, runLoad } from "../load";
import { summarise } from "../report";
import { ResultBuilder, type Scenario } from "../scenario";
import {
  contactRecord,
  createSandboxAccount,
  installTarget,
  singleWriteBody,
  unlimitedRate,
} from "../seed";
import { BenchStack } from "../stack";

/** Share of end-to-end throughput offered, so the pipeline is far from saturated. */
const share = 0.1;
const fallbackRate = 20;
const syncSamples = 200;
const pollIntervalMs = 5;

export const latency: Scenario = {
  name: "latency",
  title: "Latency of async and sync writes at light load",
  async run(context) {
    const throughput = context
      .latest("end-to-end")
      ?.figures.find((figure) => figure.label === "Completed writes/s");
    const completedPerSecond = throughput ? summarise(throughput).value : Number.NaN;
    const rate = Number.isFinite(completedPerSecond)
      ? Math.max(1, Math.round(completedPerSecond * share))
      : fallbackRate;
    const result = new ResultBuilder(
      this,
      `Async: ${rate} writes/s (${share * 100} % of end-to-end throughput), fixed rate, for ${context.durationSeconds} s; after each 202 the load process polls the operation every ${pollIntervalMs} ms and times POST → status success. Baseline: the minimal pipeline (Express + zod + BullMQ, no-op worker) under the same load, polled the same way. Sync: ${syncSamples} synchronous writes one after another, timed on the client; baseline: the same number of direct calls to the sandbox's HubSpot create endpoint with the payload Writ sends, so sync overhead = Writ's round trip − the provider's.`,
      {
        workerConcurrency: benchEnv.BENCH_WORKER_CONCURRENCY,
        rate,
        pollIntervalMs,
        syncSamples,
        durationSeconds: context.durationSeconds,
        runs: context.runs,
      },
    );
    if (!throughput) {
      result.note(
        `No end-to-end result was available, so the async load used ${fallbackRate} writes/s.`,
      );
    }
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
        "latency",
        account.accessToken,
        unlimitedRate,
      );
      const minimalApi = await stack.startMinimalApi();
      await stack.startMinimalWorker();
      const writePath = new URL(target.writeUrl).pathname;
      const asyncBody = singleWriteBody(target.groupRef, { unique: true });
      const connections = Math.max(1, Math.min(10, rate));
      const asyncSpec = (
        url: string,
        headers: Record<string, string>,
        statusUrl: string,
      ): LoadSpec => ({
        url,
        headers,
        body: asyncBody,
        connections,
        overallRate: rate,
        durationSeconds: context.durationSeconds,
        unique: true,
        follow: {
          urlTemplate: statusUrl,
          headers,
          intervalMs: pollIntervalMs,
          field: "status",
          value: "success",
          timeoutMs: 30_000,
        },
      });
      const writAsync = asyncSpec(target.writeUrl, target.headers, target.operationUrlTemplate);
      const minimalAsync = asyncSpec(
        `${minimalApi.url}${writePath}`,
        { "Content-Type": "application/json" },
        `${minimalApi.url}/jobs/{id}`,
      );
      const syncSpec: LoadSpec = {
        url: target.writeUrl,
        headers: target.headers,
        body: singleWriteBody(target.groupRef, { unique: true, mode: "synchronous" }),
        connections: 1,
        amount: syncSamples,
        unique: true,
        timeRequests: true,
      };
      // What Writ sends HubSpot for that record: the installation's default filled in.
      const directSpec: LoadSpec = {
        url: `${stack.sandboxUrl}/hubspot/crm/v3/objects/contacts`,
        headers: {
          Authorization: `Bearer ${account.accessToken}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({
          properties: { ...contactRecord(true, "-direct"), lifecyclestage: "lead" },
        }),
        connections: 1,
        amount: syncSamples,
        unique: true,
        timeRequests: true,
      };

      // Warm the worker's caches, the pools and the JIT on both paths before measuring.
      await runLoad({ ...writAsync, durationSeconds: 2 });
      await runLoad({ ...minimalAsync, durationSeconds: 2 });
      await runLoad({ ...syncSpec, amount: 20 });

      const samples: Array<{
        writ: LoadResult;
        minimal: LoadResult;
        sync: LoadResult;
        direct: LoadResult;
      }> = [];
      for (let run = 1; run <= context.runs; run++) {
        const minimal = await runLoad(minimalAsync);
        const writ = await runLoad(writAsync);
        const direct = await runLoad(directSpec);
        const sync = await runLoad(syncSpec);
        context.log(
          `run ${run}: async POST → success p50 ${writ.follow?.p50.toFixed(1)} ms p99 ${writ.follow?.p99.toFixed(1)} ms (minimal pipeline ${minimal.follow?.p50.toFixed(1)} / ${minimal.follow?.p99.toFixed(1)} ms); sync p50 ${sync.timedMs?.p50.toFixed(1)} ms vs direct ${direct.timedMs?.p50.toFixed(1)} ms`,
        );
        samples.push({ writ, minimal, sync, direct });
        result.detail({ run, writAsync: writ, minimalAsync: minimal, sync, direct });
        for (const [name, load] of [
          ["async", writ],
          ["sync", sync],
        ] as const) {
          for (const sample of load.sampleErrors) result.note(`Writ (${name}) answered: ${sample}`);
          if (load.follow?.unfinished)
            result.note(
              `run ${run}: ${load.follow.unfinished} async writes not seen done within 30 s`,
            );
        }
      }

      const pick = (f: (s: (typeof samples)[number]) => number | undefined) =>
        samples.map((s) => f(s) ?? Number.NaN);
      const minimalLabel = "minimal pipeline";
      result.figure({
        label: "Async POST → success visible, p50",
        unit: "ms",
        runs: pick((s) => s.writ.follow?.p50),
        baseline: { label: minimalLabel, runs: pick((s) => s.minimal.follow?.p50) },
        target: { on: "value", op: "<=", threshold: 25 },
      });
      result.figure({
        label: "Async POST → success visible, p99",
        unit: "ms",
        runs: pick((s) => s.writ.follow?.p99),
        baseline: { label: minimalLabel, runs: pick((s) => s.minimal.follow?.p99) },
        target: { on: "value", op: "<=", threshold: 100 },
      });
      result.figure({
        label: "Async 202 answer, p99",
        unit: "ms",
        runs: pick((s) => s.writ.latencyMs.p99),
        baseline: { label: minimalLabel, runs: pick((s) => s.minimal.latencyMs.p99) },
      });
      const directLabel = "direct sandbox call";
      result.figure({
        label: "Sync write round trip, p50",
        unit: "ms",
        runs: pick((s) => s.sync.timedMs?.p50),
        baseline: { label: directLabel, runs: pick((s) => s.direct.timedMs?.p50) },
      });
      result.figure({
        label: "Sync write round trip, p99",
        unit: "ms",
        runs: pick((s) => s.sync.timedMs?.p99),
        baseline: { label: directLabel, runs: pick((s) => s.direct.timedMs?.p99) },
      });
      result.figure({
        label: "Sync overhead over the provider call, p50",
        unit: "ms",
        runs: pick(
          (s) => (s.sync.timedMs?.p50 ?? Number.NaN) - (s.direct.timedMs?.p50 ?? Number.NaN),
        ),
        target: { on: "value", op: "<=", threshold: 15 },
      });
      result.figure({
        label: "Sync overhead over the provider call, p99",
        unit: "ms",
        runs: pick(
          (s) => (s.sync.timedMs?.p99 ?? Number.NaN) - (s.direct.timedMs?.p99 ?? Number.NaN),
        ),
      });
      return result.build();
    } finally {
      await stack.close();
    }
  },
};
