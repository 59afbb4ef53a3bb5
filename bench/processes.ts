import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { inheritedEnv } from "./env";

/**
 * The processes a scenario runs (sandbox, API, workers, baselines), each a real child process
 * started the way production starts it (`node dist/<process>.mjs`, built by `npm run build`), so
 * CPU and memory can be read from /proc for exactly that process.
 */

export const repoRoot = new URL("..", import.meta.url).pathname;

const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ChildSpec {
  /** Short name used in logs and reports: "api", "worker", "sandbox", "bare-express". */
  name: string;
  /** Entry file, relative to the repository root: compiled (.mjs), or TypeScript run by tsx. */
  entry: string;
  args?: string[];
  env?: Record<string, string>;
  /** Polled until it answers 2xx. */
  healthUrl?: string;
  /** Writes V8 CPU profiles into a directory under this one when the process exits. */
  cpuProfileDir?: string;
  /** Extra Node/V8 flags, before the entry (e.g. `--max-old-space-size=192`). */
  nodeFlags?: string[];
}

export interface ManagedChild {
  name: string;
  pid: number;
  logFile: string;
  /** User + system CPU seconds the process has used so far. */
  cpuSeconds(): number;
  /** Resident set size now, in bytes. */
  rssBytes(): number;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  readonly exited: boolean;
}

export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces; fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicksPerSecond;
}

export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no output)";
  }
}

export async function startChild(spec: ChildSpec, logDir: string): Promise<ManagedChild> {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${spec.name}.log`);
  const fd = openSync(logFile, "a");
  // Compiled entries (dist/*.mjs) run as deployed; TypeScript ones through tsx.
  const nodeArgs = [
    ...(spec.nodeFlags ?? []),
    ...(spec.entry.endsWith(".ts") ? ["--import", "tsx"] : []),
  ];
  if (spec.cpuProfileDir) {
    // One directory per process: Node writes a profile per thread (the main thread, and the
    // thread tsx's module hooks run on), each under its default name.
    const dir = join(spec.cpuProfileDir, `${spec.name}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    nodeArgs.unshift("--cpu-prof", `--cpu-prof-dir=${dir}`);
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, spec.entry, ...(spec.args ?? [])],
    {
      cwd: repoRoot,
      env: { ...inheritedEnv(), ...spec.env },
      stdio: ["ignore", fd, fd],
    },
  );
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${spec.name} did not start`);
  const pid = child.pid;
  let exited = false;
  let exitCode: number | string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = true;
      exitCode = signal ?? code;
      resolve();
    });
  });

  const managed: ManagedChild = {
    name: spec.name,
    pid,
    logFile,
    get exited() {
      return exited;
    },
    cpuSeconds: () => readCpuSeconds(pid),
    rssBytes: () => readRssBytes(pid),
    async stop(graceMs = 15_000) {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!exited) child.kill("SIGKILL");
      }, graceMs);
      await exit;
      clearTimeout(timer);
    },
  };

  if (spec.healthUrl) {
    const started = Date.now();
    for (;;) {
      if (exited) {
        throw new Error(`${spec.name} exited (${exitCode}) while starting:\n${tail(logFile)}`);
      }
      try {
        const response = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(1000) });
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 60_000) {
        await managed.stop(2000);
        throw new Error(`${spec.name} not healthy at ${spec.healthUrl}:\n${tail(logFile)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  return managed;
}

/** CPU seconds each child used between `start()` and `stop()`. */
export class CpuMeter {
  private readonly before = new Map<string, number>();
  private readonly after = new Map<string, number>();

  constructor(private readonly children: ManagedChild[]) {}

  start(): void {
    for (const child of this.children) this.before.set(child.name, child.cpuSeconds());
  }

  stop(): Record<string, number> {
    for (const child of this.children) this.after.set(child.name, child.cpuSeconds());
    return Object.fromEntries(
      this.children.map((child) => [
        child.name,
        (this.after.get(child.name) ?? 0) - (this.before.get(child.name) ?? 0),
      ]),
    );
  }
}

/** Peak resident memory of each child, sampled from /proc every `intervalMs`. */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly children: ManagedChild[],
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return Object.fromEntries(this.peaks);
  }

  private sample(): void {
    for (const child of this.children) {
      if (child.exited) continue;
      try {
        const rss = child.rssBytes();
        if (rss > (this.peaks.get(child.name) ?? 0)) this.peaks.set(child.name, rss);
      } catch {
        // the process ended between the check and the read
      }
    }
  }
}
