import { z } from "zod";

/**
 * The benchmark's configuration, read once. Every scenario runs against local Redis and
 * PostgreSQL; each run gets its own database and queue prefix, so the defaults are safe on a
 * machine where tests or other benchmarks use the same servers.
 */
const schema = z.object({
  /** A PostgreSQL server URL; the benchmark creates and drops `writ_bench_<random>` on it. */
  BENCH_DATABASE_URL: z.string().default("postgresql://postgres@127.0.0.1:5432/postgres"),
  BENCH_REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  /** Measured runs per figure; the report gives their median. */
  BENCH_RUNS: z.coerce.number().int().min(1).max(20).default(3),
  /** Length of one measured load window. */
  BENCH_DURATION_SECONDS: z.coerce.number().min(1).max(600).default(10),
  /**
   * Jobs one worker runs at once, for Writ's worker and the baseline's alike; Writ's default.
   * Coalescing batches what a worker holds, so it also bounds records per provider call. A
   * worker's database pool grows with it (up to 20), so a shared PostgreSQL needs that headroom.
   */
  BENCH_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(200),
  /**
   * Tracing in Writ's processes: `on` records and exports every span (to a sink standing in for a
   * collector), as a deployment with tracing does; `off` leaves OTEL_EXPORTER_OTLP_ENDPOINT unset.
   */
  BENCH_TRACING: z.enum(["on", "off"]).default("on"),
  /**
   * Head sampling of Writ's traces, passed on to its processes as OTEL_TRACES_SAMPLER_ARG with
   * OTEL_TRACES_SAMPLER=parentbased_traceidratio (e.g. 0.1); unset, every trace is recorded.
   */
  BENCH_TRACES_SAMPLE_RATIO: z.coerce.number().min(0).max(1).optional(),
  /**
   * Extra Node/V8 flags for Writ's API and worker processes (not the sandbox or baselines),
   * space-separated, e.g. `--max-old-space-size=192 --trace-gc`; for trying runtime settings.
   */
  BENCH_NODE_FLAGS: z
    .string()
    .default("")
    .transform((flags) => flags.split(/\s+/).filter(Boolean)),
  /** Where results are written (relative to the repository root or absolute). */
  BENCH_RESULTS_DIR: z.string().default("bench/results"),
  /** Log level of the Writ processes under test (info is what a deployment runs). */
  BENCH_LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
  PATH: z.string().default("/usr/local/bin:/usr/bin:/bin"),
  HOME: z.string().optional(),
  TMPDIR: z.string().optional(),
});

export type BenchEnv = z.infer<typeof schema>;

export const benchEnv: BenchEnv = schema.parse(process.env);

/** What a child process inherits from the bench's own environment; the rest is explicit. */
export function inheritedEnv(): Record<string, string> {
  const inherited: Record<string, string> = { PATH: benchEnv.PATH };
  if (benchEnv.HOME) inherited.HOME = benchEnv.HOME;
  if (benchEnv.TMPDIR) inherited.TMPDIR = benchEnv.TMPDIR;
  return inherited;
}
