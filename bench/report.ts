import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { benchEnv } from "./env";
import { repoRoot } from "./processes";
import { median } from "./stats";

/**
 * Results: one JSON (everything measured, per run) and one Markdown table per scenario, and a
 * combined summary.md. Every figure is the median of its runs, with the baseline measured in the
 * same run beside it, their ratio, and the target it is held to.
 */

export const resultsDir = resolve(repoRoot, benchEnv.BENCH_RESULTS_DIR);

function tracingNote(): string {
  if (benchEnv.BENCH_TRACING === "off") {
    return "Writ's processes run with tracing off (`BENCH_TRACING=off`: no OTLP endpoint).";
  }
  const ratio = benchEnv.BENCH_TRACES_SAMPLE_RATIO;
  const recorded =
    ratio === undefined
      ? "every span is recorded"
      : `traces are head-sampled at ${ratio} (\`parentbased_traceidratio\`), and the sampled ones recorded`;
  return `Writ's processes run as deployed with tracing on: ${recorded} and exported over OTLP/HTTP (to a sink in the bench process standing in for a collector); baselines have no tracing.`;
}

export type Unit =
  | "req/s"
  | "records/s"
  | "writes/s"
  | "ms"
  | "s"
  | "ms CPU"
  | "MB"
  | "bytes"
  | "count"
  | "%"
  | "×";

export interface Target {
  /** Compare the ratio to the baseline, or the figure itself. */
  on: "ratio" | "value";
  op: ">=" | "<=" | "==";
  threshold: number;
}

export interface Figure {
  label: string;
  unit: Unit;
  /** One value per run; the report shows their median. */
  runs: number[];
  /** Unit defaults to the figure's. */
  baseline?: { label: string; runs: number[]; unit?: Unit };
  target?: Target;
  /** False where Writ ÷ baseline means nothing (differences around zero). */
  ratio?: boolean;
  /** Shown under the table. */
  note?: string;
}

export interface ScenarioResult {
  scenario: string;
  title: string;
  /** What was measured, and how, in a sentence or two. */
  method: string;
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; node: string };
  settings: Record<string, unknown>;
  figures: Figure[];
  notes: string[];
  /** Everything else measured per run (load results, CPU, RSS), for anyone digging in. */
  details: Array<Record<string, unknown>>;
}

export interface FigureSummary {
  value: number;
  baseline?: number;
  ratio?: number;
  met?: boolean;
}

export function summarise(figure: Figure): FigureSummary {
  const value = median(figure.runs);
  const summary: FigureSummary = { value };
  if (figure.baseline) {
    summary.baseline = median(figure.baseline.runs);
    if (figure.ratio !== false) summary.ratio = value / summary.baseline;
  }
  if (figure.target) {
    const actual = figure.target.on === "ratio" ? summary.ratio : value;
    if (actual !== undefined && Number.isFinite(actual)) {
      const { op, threshold } = figure.target;
      summary.met =
        op === ">="
          ? actual >= threshold
          : op === "<="
            ? actual <= threshold
            : actual === threshold;
    }
  }
  return summary;
}

export function machine(): ScenarioResult["machine"] {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model ?? "unknown", node: process.version };
}

function formatNumber(value: number | undefined, unit?: Unit): string {
  if (value === undefined || Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return "∞";
  const abs = Math.abs(value);
  const digits =
    unit === "count" || Number.isInteger(value) || abs >= 100
      ? 0
      : abs >= 10
        ? 1
        : abs >= 1
          ? 2
          : 3;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function formatValue(value: number | undefined, unit: Unit): string {
  const number = formatNumber(value, unit);
  if (number === "–" || unit === "count") return number;
  if (unit === "×") return `${number}×`;
  return `${number} ${unit}`;
}

function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return "–";
  return ratio >= 10 ? `${formatNumber(ratio)}×` : `${(ratio * 100).toFixed(0)} %`;
}

function formatTarget(figure: Figure): string {
  const target = figure.target;
  if (!target) return "";
  const op = target.op === ">=" ? "≥" : target.op === "<=" ? "≤" : "=";
  if (target.on === "value") return `${op} ${formatValue(target.threshold, figure.unit)}`;
  const threshold = target.threshold;
  return threshold >= 10
    ? `${op} ${formatNumber(threshold)}× baseline`
    : `${op} ${(threshold * 100).toFixed(0)} % of baseline`;
}

function verdict(met: boolean | undefined): string {
  if (met === undefined) return "";
  return met ? "yes" : "**no**";
}

export function figureTable(figures: Figure[]): string {
  const lines = [
    "| Figure | Writ | Baseline | Writ / baseline | Target | Met | Runs (Writ · baseline) |",
    "| --- | --: | --: | --: | --- | --- | --- |",
  ];
  for (const figure of figures) {
    const summary = summarise(figure);
    const runs = figure.runs.map((value) => formatNumber(value, figure.unit)).join(", ");
    const baselineRuns = figure.baseline?.runs
      .map((value) => formatNumber(value, figure.unit))
      .join(", ");
    const baselineCell = figure.baseline
      ? `${formatValue(summary.baseline, figure.baseline.unit ?? figure.unit)} (${figure.baseline.label})`
      : "–";
    lines.push(
      `| ${figure.label} | ${formatValue(summary.value, figure.unit)} | ${baselineCell} | ${formatRatio(
        summary.ratio,
      )} | ${formatTarget(figure)} | ${verdict(summary.met)} | ${runs}${
        baselineRuns ? ` · ${baselineRuns}` : ""
      } |`,
    );
  }
  return lines.join("\n");
}

export function scenarioMarkdown(result: ScenarioResult): string {
  const notes = [
    ...result.figures.filter((figure) => figure.note).map((f) => `${f.label}: ${f.note}`),
    ...result.notes,
  ];
  const settings = Object.entries(result.settings)
    .map(
      ([key, value]) => `\`${key}\` ${typeof value === "string" ? value : JSON.stringify(value)}`,
    )
    .join(" · ");
  return [
    `## ${result.scenario}: ${result.title}`,
    "",
    result.method,
    "",
    figureTable(result.figures),
    "",
    ...(notes.length ? [...notes.map((note) => `- ${note}`), ""] : []),
    `Settings: ${settings}`,
    "",
    `Run ${result.startedAt} → ${result.finishedAt} on ${result.machine.cpus} × ${result.machine.cpuModel}, Node ${result.machine.node}. Figures are medians of the runs listed.`,
    "",
  ].join("\n");
}

export function writeScenarioResult(result: ScenarioResult): { json: string; markdown: string } {
  mkdirSync(resultsDir, { recursive: true });
  const json = join(resultsDir, `${result.scenario}.json`);
  const markdown = join(resultsDir, `${result.scenario}.md`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(markdown, scenarioMarkdown(result));
  return { json, markdown };
}

export function readScenarioResult(scenario: string): ScenarioResult | undefined {
  try {
    return JSON.parse(readFileSync(join(resultsDir, `${scenario}.json`), "utf8")) as ScenarioResult;
  } catch {
    return undefined;
  }
}

/** summary.md: every scenario result present in bench/results, in the given order. */
export function writeSummary(order: string[]): string {
  mkdirSync(resultsDir, { recursive: true });
  const present = readdirSync(resultsDir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length));
  const names = [...order.filter((name) => present.includes(name))];
  const results = names
    .map((name) => readScenarioResult(name))
    .filter((result): result is ScenarioResult => result !== undefined);
  const lines = [
    "# Writ benchmark results",
    "",
    `Produced by \`npm run bench\`. Each figure is the median of its runs; each baseline was measured on the same machine in the same run, and the ratio is Writ ÷ baseline. ${tracingNote()} Per-scenario detail (every run, CPU, RSS, load results) is in the scenario's \`.json\` file.`,
    "",
  ];
  for (const result of results) lines.push(scenarioMarkdown(result));
  const file = join(resultsDir, "summary.md");
  writeFileSync(file, `${lines.join("\n").trimEnd()}\n`);
  return file;
}
