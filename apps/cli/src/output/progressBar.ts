import type { OutputStream } from "../io";

export interface ProgressSnapshot {
  /** Units finished so far (records settled, operations succeeded, ...). */
  done: number;
  /** Unknown when counting up front would cost a second pass over a large input. */
  total?: number;
  failed: number;
  elapsedMs: number;
  /** Shown after the counts, e.g. `sent 300`. */
  detail?: string;
  /** Word after the rate: `records/s`. */
  unit?: string;
}

const barWidth = 24;

/**
 * `[##########..............]  120/250  48%  52 records/s  2 failed`. Without a total the bar
 * is left out and the count stands alone.
 */
export function renderProgressLine(snapshot: ProgressSnapshot): string {
  const parts: string[] = [];
  const total = snapshot.total !== undefined ? Math.max(snapshot.total, snapshot.done) : undefined;
  if (total !== undefined) {
    const ratio = total === 0 ? 1 : snapshot.done / total;
    const filled = Math.min(barWidth, Math.floor(ratio * barWidth));
    parts.push(`[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]`);
    parts.push(`${snapshot.done}/${total}`);
    parts.push(`${Math.floor(ratio * 100)}%`);
  } else {
    parts.push(`${snapshot.done} done`);
  }
  const seconds = snapshot.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(snapshot.done / seconds) : 0;
  parts.push(`${rate} ${snapshot.unit ?? "records"}/s`);
  parts.push(`${snapshot.failed} failed`);
  if (snapshot.detail) parts.push(snapshot.detail);
  return parts.join("  ");
}

export interface ProgressReporterOptions {
  now?: () => number;
  /** On a terminal, the fastest redraw; redrawing more often only costs CPU. Default 100 ms. */
  redrawMs?: number;
  /** Elsewhere (CI logs, files), how often a plain line is printed. Default 5 s. */
  lineEveryMs?: number;
  /** Lets a caller render another kind of line (e.g. `writ watch`'s status counts). */
  render?: (snapshot: ProgressSnapshot) => string;
}

/**
 * Shows progress on a stream: redrawn in place with `\r` on a terminal, plain periodic lines
 * otherwise so logs stay readable.
 */
export class ProgressReporter<S = ProgressSnapshot> {
  readonly #stream: OutputStream;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #render: (snapshot: S) => string;
  #lastWrite = Number.NEGATIVE_INFINITY;
  #lastLine = "";
  #finished = false;

  constructor(
    stream: OutputStream,
    options: Omit<ProgressReporterOptions, "render"> & { render?: (snapshot: S) => string } = {},
  ) {
    this.#stream = stream;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = stream.isTTY ? (options.redrawMs ?? 100) : (options.lineEveryMs ?? 5000);
    this.#render = options.render ?? (renderProgressLine as unknown as (snapshot: S) => string);
  }

  update(snapshot: S): void {
    if (this.#finished) return;
    const now = this.#now();
    if (now - this.#lastWrite < this.#intervalMs) return;
    this.#lastWrite = now;
    this.#draw(this.#render(snapshot), false);
  }

  /** Draws the last state and ends the line, so whatever follows starts on a fresh one. */
  finish(snapshot: S): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#draw(this.#render(snapshot), true);
  }

  #draw(line: string, final: boolean): void {
    if (this.#stream.isTTY) {
      // \x1b[K clears what a longer previous line left behind.
      this.#stream.write(`\r${line}\x1b[K${final ? "\n" : ""}`);
    } else if (!final || line !== this.#lastLine) {
      this.#stream.write(`${line}\n`);
    }
    this.#lastLine = line;
  }
}
