// `npm run bench` runs every scenario; `npm run bench -- <scenario> [<scenario>...]` runs some.
// Options: --runs N (default BENCH_RUNS or 3), --duration S (seconds per load window, default
// BENCH_DURATION_SECONDS or 10), --cpu-prof api|worker (write a V8 CPU profile of that process
// into bench/results/profiles and print its heaviest functions), --list.
import { readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { selfTimeTable } from "./cpuProfile";
import { benchEnv } from "./env";
import {
  figureTable,
  readScenarioResult,
  type ScenarioResult,
  writeScenarioResult,
  writeSummary,
} from "./report";
import type { Scenario, ScenarioContext } from "./scenario";
import { batch } from "./scenarios/batch";
import { endToEnd } from "./scenarios/endToEnd";
import { ingress } from "./scenarios/ingress";
import { latency } from "./scenarios/latency";
import { memory } from "./scenarios/memory";
import { rateLimited } from "./scenarios/rateLimited";
import { BenchStack, buildProcesses, type ProfiledProcess, profilesDir } from "./stack";

const scenarios: Scenario[] = [ingress, endToEnd, batch, rateLimited, latency, memory];
const order = scenarios.map((scenario) => scenario.name);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: "string" },
    duration: { type: "string" },
    "cpu-prof": { type: "string" },
    list: { type: "boolean", default: false },
  },
});

if (values.list) {
  for (const scenario of scenarios) console.log(`${scenario.name.padEnd(14)} ${scenario.title}`);
  process.exit(0);
}

const unknown = positionals.filter((name) => !order.includes(name));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(", ")}; scenarios: ${order.join(", ")}`);
  process.exit(2);
}
const cpuProfile = values["cpu-prof"];
if (cpuProfile !== undefined && cpuProfile !== "api" && cpuProfile !== "worker") {
  console.error("--cpu-prof takes api or worker");
  process.exit(2);
}
const selected = positionals.length
  ? scenarios.filter((scenario) => positionals.includes(scenario.name))
  : scenarios;
const runs = values.runs ? Number(values.runs) : benchEnv.BENCH_RUNS;
const durationSeconds = values.duration ? Number(values.duration) : benchEnv.BENCH_DURATION_SECONDS;
if (!(runs >= 1) || !(durationSeconds >= 1)) {
  console.error("--runs and --duration take positive numbers");
  process.exit(2);
}

const done = new Map<string, ScenarioResult>();
const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.log(`\n[bench] ${signal}: stopping processes and dropping databases`);
    void BenchStack.closeAll().finally(() => process.exit(130));
  });
}

process.on("unhandledRejection", (reason) => {
  console.error(`[bench] unexpected failure: ${(reason as Error)?.stack ?? reason}`);
  void BenchStack.closeAll().finally(() => process.exit(1));
});

/** The main-thread profile of each process profiled since `since` (the one with most samples). */
function profilesSince(since: number): string[] {
  try {
    return readdirSync(profilesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(profilesDir, entry.name))
      .filter((dir) => statSync(dir).mtimeMs >= since)
      .flatMap((dir) => {
        const files = readdirSync(dir)
          .filter((file) => file.endsWith(".cpuprofile"))
          .map((file) => join(dir, file))
          .sort((a, b) => statSync(b).size - statSync(a).size);
        return files.slice(0, 1);
      });
  } catch {
    return [];
  }
}

console.log("[bench] compiling Writ's processes and the baselines (npm run build)");
await buildProcesses();

let failures = 0;
for (const scenario of selected) {
  const scenarioStarted = Date.now();
  console.log(
    `\n[bench] ${scenario.name}: ${scenario.title} (${runs} run(s), ${durationSeconds} s windows)`,
  );
  const context: ScenarioContext = {
    runs,
    durationSeconds,
    cpuProfile: cpuProfile as ProfiledProcess | undefined,
    log: (message) => console.log(`[bench] ${scenario.name} ${elapsed()}: ${message}`),
    earlier: (name) => done.get(name),
    latest: (name) => done.get(name) ?? readScenarioResult(name),
  };
  try {
    const result = await scenario.run(context);
    done.set(scenario.name, result);
    const files = writeScenarioResult(result);
    console.log(`\n${figureTable(result.figures)}\n`);
    for (const note of result.notes) console.log(`- ${note}`);
    console.log(`[bench] ${scenario.name}: wrote ${files.markdown} and .json (${elapsed()})`);
  } catch (error) {
    failures++;
    console.error(`[bench] ${scenario.name} failed: ${(error as Error).stack ?? error}`);
    console.error(`[bench] process logs of failed runs stay in ${tmpdir()}/writ-bench-*/`);
  }
  if (cpuProfile) {
    for (const file of profilesSince(scenarioStarted)) console.log(`\n${selfTimeTable(file, 20)}`);
  }
  if (interrupted) break;
}

const summary = writeSummary(order);
console.log(`\n[bench] summary: ${summary} (total ${elapsed()})`);
process.exit(failures > 0 ? 1 : 0);
