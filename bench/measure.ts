import { type LoadHooks, type LoadResult, type LoadSpec, runLoad } from "./load";
import { CpuMeter, type ManagedChild, RssSampler } from "./processes";

export interface Measurement {
  load: LoadResult;
  /** CPU seconds per watched process over the measured window. */
  cpuSeconds: Record<string, number>;
  /** Peak RSS per watched process over the measured window, in bytes. */
  rssPeakBytes: Record<string, number>;
}

/** Runs one load window and reads the watched processes' CPU and memory over exactly it. */
export async function measure(
  spec: LoadSpec,
  watched: ManagedChild[],
  hooks: LoadHooks = {},
): Promise<Measurement> {
  const cpu = new CpuMeter(watched);
  const rss = new RssSampler(watched);
  let cpuSeconds: Record<string, number> = {};
  let rssPeakBytes: Record<string, number> = {};
  const load = await runLoad(spec, {
    onStart() {
      cpu.start();
      rss.start();
      hooks.onStart?.();
    },
    onEnd() {
      cpuSeconds = cpu.stop();
      rssPeakBytes = rss.stop();
      hooks.onEnd?.();
    },
  });
  return { load, cpuSeconds, rssPeakBytes };
}

/**
 * Unmeasured load before a window: longer before a process's first window (JIT, pools, caches,
 * modules loaded on first use), a short top-up before later ones.
 */
export const warmupSeconds = (run: number) => (run === 1 ? 3 : 1);

export const megabytes = (bytes: number | undefined) => (bytes ?? 0) / 1024 / 1024;

/** CPU milliseconds per unit of work. */
export function cpuMsPer(cpuSeconds: number | undefined, units: number): number {
  return units > 0 ? ((cpuSeconds ?? 0) * 1000) / units : Number.NaN;
}

export async function waitFor(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<boolean> {
  const started = Date.now();
  for (;;) {
    if (await condition()) return true;
    if (Date.now() - started > timeoutMs) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A one-line summary of a load window for progress output. */
export function describeLoad(load: LoadResult): string {
  const refused = load.non2xx + load.errors;
  return `${load.okPerSecond.toFixed(0)} ok/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms${
    refused ? `, ${load.non2xx} non-2xx, ${load.errors} errors` : ""
  }`;
}
