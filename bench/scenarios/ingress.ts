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
import { httpJson, installTarget, singleWriteBody } from "../seed";
import { BenchStack, baselineEntries } from "../stack";
import { median } from "../stats";

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
      `${connections} connections post async single-record writes for ${context.durationSeconds} s (after an unmeasured warm-up — 3 s before a process's first window, 1 s before later ones — that also fills the API-key and installation caches). No worker runs, so only ingress is measured; the queue is cleared after each window. Baseline: a bare Express 5 app that parses the JSON body and answers 202, loaded the same way, interleaved run by run. The Idempotency-Key variant sends a different key with every request (to both). For reference, the plain load also goes to the minimal pipeline's ingress (Express + zod + one BullMQ add, the least a queue-backed write API does), so Writ is also shown against it and the minimal pipeline against bare Express.`,
      { connections, durationSeconds: context.durationSeconds, runs: context.runs },
    );
    const stack = await BenchStack.start({ cpuProfile: context.cpuProfile });
    try {
      const target = await installTarget(stack.project!, "ingress", "unused-token");
      const bare = await stack.startBaseline("bare-express", baselineEntries.bareExpress, []);
      const minimal = await stack.startMinimalApi();
      const writePath = new URL(target.writeUrl).pathname;
      const body = singleWriteBody(target.groupRef, { unique: false });
      const samples = new Map<string, { writ: Measurement[]; bare: Measurement[] }>();
      for (const variant of variants) samples.set(variant.key, { writ: [], bare: [] });
      const minimalSamples: Measurement[] = [];

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
          if (!variant.idempotencyKey) {
            const reference = await measure({ ...spec, url: `${minimal.url}${writePath}` }, [
              minimal.child,
            ]);
            context.log(
              `run ${run} ${variant.key}: minimal pipeline ${describeLoad(reference.load)}`,
            );
            await httpJson("POST", `${minimal.url}/_bench/drain`);
            minimalSamples.push(reference);
            result.detail({ run, variant: "minimal pipeline", reference });
          }
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
      result.figures.push(
        ...minimalPipelineFigures(
          samples.get("plain")!.writ,
          minimalSamples,
          samples.get("plain")!.bare,
        ),
      );
      return result.build();
    } finally {
      await stack.close();
    }
  },
};

/**
 * Writ against the minimal pipeline's ingress under the same plain load, and how close the
 * minimal pipeline itself comes to bare Express: the share of the bare baseline that an Express
 * service doing one BullMQ add per request can reach on this machine.
 */
function minimalPipelineFigures(
  writ: Measurement[],
  minimal: Measurement[],
  bare: Measurement[],
): Figure[] {
  const apiCpu = (m: Measurement) => cpuMsPer(Object.values(m.cpuSeconds)[0], m.load.ok);
  const minimalShare =
    median(minimal.map((m) => m.load.okPerSecond)) / median(bare.map((m) => m.load.okPerSecond));
  return [
    {
      label: "Accepted writes/s against the minimal pipeline",
      unit: "req/s",
      runs: writ.map((m) => m.load.okPerSecond),
      baseline: { label: "minimal pipeline", runs: minimal.map((m) => m.load.okPerSecond) },
      note: `The minimal pipeline (Express + zod + one BullMQ add) reached ${Math.round(minimalShare * 100)} % of bare Express's accepted writes/s in the same run`,
    },
    {
      label: "API CPU per request against the minimal pipeline",
      unit: "ms CPU",
      runs: writ.map(apiCpu),
      baseline: { label: "minimal pipeline", runs: minimal.map(apiCpu) },
    },
  ];
}

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
