import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { inheritedEnv } from "./env";
import { repoRoot } from "./processes";
import type { Distribution } from "./stats";

/**
 * Load comes from its own process (bench/loadGenerator.ts, autocannon), never from the process
 * under test or from the process that measures it. The generator reports when its measured window
 * starts and ends, so CPU and memory are read over exactly that window.
 */

export interface FollowSpec {
  /** Status URL with `{id}` where the answer's `operationId` goes. */
  urlTemplate: string;
  headers?: Record<string, string>;
  /** Poll interval per operation. */
  intervalMs: number;
  /** The operation is done when `body[field] === value`. */
  field: string;
  value: string;
  /** Give up on one operation after this long. */
  timeoutMs: number;
}

export interface LoadSpec {
  url: string;
  method?: "GET" | "POST" | "PATCH";
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Length of the measured window; ignored when `amount` is set. */
  durationSeconds?: number;
  /** Send exactly this many requests, then stop. */
  amount?: number;
  /**
   * A fixed rate: requests per second, sent evenly (one every 1/rate s, open loop) over at most
   * `connections` keep-alive sockets, by the generator's own sender rather than autocannon.
   */
  overallRate?: number;
  /** Unmeasured load first (JIT, caches, connection pools). */
  warmupSeconds?: number;
  warmupConnections?: number;
  /** `{{seq}}` in the body and header values becomes a value no other request of the run has. */
  unique?: boolean;
  /** Client-side timing of every answer with sub-millisecond precision. */
  timeRequests?: boolean;
  /** After each 2xx answer, poll the operation until it is done; time POST → done. */
  follow?: FollowSpec;
  /** Per-request timeout. */
  timeoutSeconds?: number;
}

export interface LoadResult {
  durationSeconds: number;
  /** Answers of any status. */
  responses: number;
  ok: number;
  okPerSecond: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** autocannon's histogram (1 ms resolution), 2xx answers only. */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Sub-millisecond client timings of 2xx answers (with `timeRequests`). */
  timedMs?: Distribution;
  /** POST sent → operation seen done (with `follow`). */
  follow?: Distribution & { unfinished: number };
  /** A few non-2xx answer bodies, to explain refusals. */
  sampleErrors: string[];
}

export interface LoadHooks {
  /** The measured window begins (after warm-up). */
  onStart?(): void;
  /** The measured window ends (before follow-up polling finishes). */
  onEnd?(): void;
}

export async function runLoad(spec: LoadSpec, hooks: LoadHooks = {}): Promise<LoadResult> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/loadGenerator.ts"], {
    cwd: repoRoot,
    env: { ...inheritedEnv(), NODE_ENV: "production" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  child.stdin.end(JSON.stringify(spec));
  let result: LoadResult | undefined;
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    let message: { event?: string; result?: LoadResult };
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    if (message.event === "start") hooks.onStart?.();
    else if (message.event === "end") hooks.onEnd?.();
    else if (message.event === "result") result = message.result;
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (code !== 0 || !result) throw new Error(`load generator failed (exit ${code})`);
  return result;
}
