import type { LoadSpec } from "../load";
import {
  cpuMsPer,
  describeLoad,
  type Measurement,
  measure,
  megabytes,
  warmupSeconds,
} from "../measure";
import { ResultBuilder, type Scenario } from "../scenario";
import { batchWriteBody, installTarget, singleWriteBody } from "../seed";
import { BenchStack } from "../stack";
import { connections } from "./ingress";

const batchSize = 100;

export const batch: Scenario = {
  name: "batch",
  title: "Async batch writes (100 records per request) accepted by the API",
  async run(context) {
    const result = new ResultBuilder(
      this,
      `${connections} connections post async batch writes of ${batchSize} contacts for ${context.durationSeconds} s, no worker running (as in ingress); records/s = accepted requests × ${batchSize} ÷ time. Baseline: async single writes to the same API, same connections, measured in the same run, interleaved; the target is records/s ≥ 20 × the single-write requests/s.`,
      { connections, batchSize, durationSeconds: context.durationSeconds, runs: context.runs },
    );
    const stack = await BenchStack.start({ cpuProfile: context.cpuProfile });
    try {
      const target = await installTarget(stack.project!, "batch", "unused-token");
      const base: LoadSpec = {
        url: target.writeUrl,
        headers: target.headers,
        connections,
        durationSeconds: context.durationSeconds,
      };
      const batches: Measurement[] = [];
      const singles: Measurement[] = [];
      for (let run = 1; run <= context.runs; run++) {
        const single = await measure(
          {
            ...base,
            body: singleWriteBody(target.groupRef, { unique: false }),
            warmupSeconds: warmupSeconds(run),
          },
          [stack.api!],
        );
        await stack.clearQueue();
        context.log(`run ${run}: single writes ${describeLoad(single.load)}`);
        const batched = await measure(
          {
            ...base,
            body: batchWriteBody(target.groupRef, batchSize, false),
            warmupSeconds: warmupSeconds(run),
          },
          [stack.api!],
        );
        await stack.clearQueue();
        context.log(
          `run ${run}: batches ${describeLoad(batched.load)} = ${(batched.load.okPerSecond * batchSize).toFixed(0)} records/s`,
        );
        singles.push(single);
        batches.push(batched);
        result.detail({ run, single, batch: batched });
        for (const sample of batched.load.sampleErrors) result.note(`Writ answered: ${sample}`);
      }
      const singleLabel = "single writes";
      result.figure({
        label: "Records accepted/s",
        unit: "records/s",
        runs: batches.map((m) => m.load.okPerSecond * batchSize),
        baseline: {
          label: "single writes",
          unit: "req/s",
          runs: singles.map((m) => m.load.okPerSecond),
        },
        target: { on: "ratio", op: ">=", threshold: 20 },
      });
      result.figure({
        label: "Batch requests/s",
        unit: "req/s",
        runs: batches.map((m) => m.load.okPerSecond),
        baseline: { label: singleLabel, runs: singles.map((m) => m.load.okPerSecond) },
      });
      result.figure({
        label: "p99 latency",
        unit: "ms",
        runs: batches.map((m) => m.load.latencyMs.p99),
        baseline: { label: singleLabel, runs: singles.map((m) => m.load.latencyMs.p99) },
      });
      result.figure({
        label: "API CPU per record",
        unit: "ms CPU",
        runs: batches.map((m) => cpuMsPer(m.cpuSeconds.api, m.load.ok * batchSize)),
        baseline: {
          label: singleLabel,
          runs: singles.map((m) => cpuMsPer(m.cpuSeconds.api, m.load.ok)),
        },
      });
      result.figure({
        label: "API RSS peak",
        unit: "MB",
        runs: batches.map((m) => megabytes(m.rssPeakBytes.api)),
        baseline: { label: singleLabel, runs: singles.map((m) => megabytes(m.rssPeakBytes.api)) },
      });
      return result.build();
    } finally {
      await stack.close();
    }
  },
};
