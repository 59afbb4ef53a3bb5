import type { LoadSpec } from "../load";
import {
  cpuMsPer,
  describeLoad,
  type Measurement,
  measure,
  megabytes,
  warmupSeconds,
} from "../measure";
import type { Figure } from "../report";
import { ResultBuilder, type Scenario } from "../scenario";
import { installTarget, singleWriteBody } from "../seed";
import { BenchStack } from "../stack";

export const connections = 100;

const variants = [
  { key: "plain", label: "", idempotencyKey: false },
  { key: "idempotency", label: " with Idempotency-Key", idempotencyKey: true },
] as const;

export const ingress: Scenario = {
  name: "ingress",
  title: "Async single writes accepted by the API",
  async run(context) {
    const result = new ResultBuilder(
      this,
      `${connections} connections post async single-record writes for ${context.durationSeconds} s (after an unmeasured warm-up — 3 s before a process's first window, 1 s before later ones — that also fills the API-key and installation caches). No worker runs, so only ingress is measured; the queue is cleared after each window. Baseline: a bare Express 5 app that parses the JSON body and answers 202, loaded the same way, interleaved run by run. The Idempotency-Key variant sends a different key with every request (to both).`,
      { connections, durationSeconds: context.durationSeconds, runs: context.runs },
    );
    const stack = await BenchStack.start({ cpuProfile: context.cpuProfile });
    try {
      const target = await installTarget(stack.project!, "ingress", "unused-token");
      const bare = await stack.startBaseline("bare-express", "bench/baselines/bareExpress.ts", []);
      const writePath = new URL(target.writeUrl).pathname;
      const body = singleWriteBody(target.groupRef, { unique: false });
      const samples = new Map<string, { writ: Measurement[]; bare: Measurement[] }>();
      for (const variant of variants) samples.set(variant.key, { writ: [], bare: [] });

      for (let run = 1; run <= context.runs; run++) {
        for (const variant of variants) {
          const headers: Record<string, string> = { ...target.headers };
          if (variant.idempotencyKey) headers["Idempotency-Key"] = "bench-{{seq}}";
          const spec: LoadSpec = {
            url: target.writeUrl,
            headers,
            body,
            connections,
            durationSeconds: context.durationSeconds,
            warmupSeconds: warmupSeconds(run),
            unique: variant.idempotencyKey,
          };
          const baseline = await measure({ ...spec, url: `${bare.url}${writePath}` }, [bare.child]);
          context.log(`run ${run} ${variant.key}: bare Express ${describeLoad(baseline.load)}`);
          const writ = await measure(spec, [stack.api!]);
          context.log(`run ${run} ${variant.key}: Writ ${describeLoad(writ.load)}`);
          await stack.clearQueue();
          samples.get(variant.key)!.writ.push(writ);
          samples.get(variant.key)!.bare.push(baseline);
          result.detail({ run, variant: variant.key, writ, baseline });
          for (const sample of writ.load.sampleErrors) result.note(`Writ answered: ${sample}`);
        }
      }

      for (const variant of variants) {
        const { writ, bare: baseline } = samples.get(variant.key)!;
        result.figures.push(...ingressFigures(variant.label, writ, baseline));
      }
      return result.build();
    } finally {
      await stack.close();
    }
  },
};

/** The figures of one ingress load shape: throughput, tail latency, CPU and memory. */
export function ingressFigures(
  label: string,
  writ: Measurement[],
  baseline: Measurement[],
  baselineLabel = "bare Express",
): Figure[] {
  const apiCpu = (m: Measurement) => cpuMsPer(Object.values(m.cpuSeconds)[0], m.load.ok);
  const apiRss = (m: Measurement) => megabytes(Object.values(m.rssPeakBytes)[0]);
  const refused = writ.reduce((sum, m) => sum + m.load.non2xx + m.load.errors, 0);
  return [
    {
      label: `Accepted writes/s${label}`,
      unit: "req/s",
      runs: writ.map((m) => m.load.okPerSecond),
      baseline: { label: baselineLabel, runs: baseline.map((m) => m.load.okPerSecond) },
      target: { on: "ratio", op: ">=", threshold: 0.7 },
      ...(refused ? { note: `${refused} requests were refused or failed (not counted)` } : {}),
    },
    {
      label: `p99 latency${label}`,
      unit: "ms",
      runs: writ.map((m) => m.load.latencyMs.p99),
      baseline: { label: baselineLabel, runs: baseline.map((m) => m.load.latencyMs.p99) },
      target: { on: "value", op: "<=", threshold: 100 },
    },
    {
      label: `p50 latency${label}`,
      unit: "ms",
      runs: writ.map((m) => m.load.latencyMs.p50),
      baseline: { label: baselineLabel, runs: baseline.map((m) => m.load.latencyMs.p50) },
    },
    {
      label: `API CPU per request${label}`,
      unit: "ms CPU",
      runs: writ.map(apiCpu),
      baseline: { label: baselineLabel, runs: baseline.map(apiCpu) },
    },
    {
      label: `API RSS peak${label}`,
      unit: "MB",
      runs: writ.map(apiRss),
      baseline: { label: baselineLabel, runs: baseline.map(apiRss) },
    },
  ];
}
