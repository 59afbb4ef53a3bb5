import { benchEnv } from "./env";
import { type Figure, machine, type ScenarioResult } from "./report";
import type { ProfiledProcess } from "./stack";

export interface ScenarioContext {
  /** Measured runs per figure. */
  runs: number;
  /** Length of one measured load window. */
  durationSeconds: number;
  cpuProfile: ProfiledProcess | undefined;
  log(message: string): void;
  /** A result from earlier in this same `npm run bench` invocation. */
  earlier(scenario: string): ScenarioResult | undefined;
  /** The last saved result of a scenario (this invocation's, else bench/results). */
  latest(scenario: string): ScenarioResult | undefined;
}

export interface Scenario {
  name: string;
  title: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

/** Collects a scenario's figures, notes and per-run details as it goes. */
export class ResultBuilder {
  readonly startedAt = new Date().toISOString();
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];
  readonly details: Array<Record<string, unknown>> = [];

  constructor(
    private readonly scenario: Scenario,
    private readonly method: string,
    private readonly settings: Record<string, unknown>,
  ) {}

  figure(figure: Figure): void {
    this.figures.push(figure);
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  detail(entry: Record<string, unknown>): void {
    this.details.push(entry);
  }

  build(): ScenarioResult {
    return {
      scenario: this.scenario.name,
      title: this.scenario.title,
      method: this.method,
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      machine: machine(),
      settings: {
        ...this.settings,
        tracing: benchEnv.BENCH_TRACING,
        ...(benchEnv.BENCH_TRACES_SAMPLE_RATIO === undefined
          ? {}
          : { traceSampleRatio: benchEnv.BENCH_TRACES_SAMPLE_RATIO }),
        ...(benchEnv.BENCH_NODE_FLAGS.length > 0
          ? { nodeFlags: benchEnv.BENCH_NODE_FLAGS.join(" ") }
          : {}),
      },
      figures: this.figures,
      notes: this.notes,
      details: this.details,
    };
  }
}
