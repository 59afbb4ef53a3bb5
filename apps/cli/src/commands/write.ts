import { randomBytes } from "node:crypto";
import { access } from "node:fs/promises";
import { resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { CommandContext } from "../commandContext";
import { exitCodes, UsageError } from "../io";
import { formatErrorReport } from "../output/errorReport";
import { ProgressReporter, type ProgressSnapshot } from "../output/progressBar";
import { plural } from "../output/table";
import { isUsableDelimiter } from "../records/csvRecords";
import {
  countRecordLines,
  formatOfFile,
  type RecordFormat,
  readRecordFile,
} from "../records/recordFile";
import { RecordFileError } from "../records/sourceRecord";
import { type WriteProgress, type WriteRunSummary, writeRecords } from "../write/writeRecords";
import type { ActionFactory } from "./commandHandler";
import { parsePositiveInteger } from "./operations";

interface WriteCommandOptions {
  integration: string;
  object: string;
  groupRef: string;
  file: string;
  type: "create" | "update" | "delete";
  format?: RecordFormat;
  batchSize: number;
  concurrency: number;
  async?: boolean;
  wait: boolean;
  inferTypes?: boolean;
  delimiter: string;
  showFailures: number;
}

const maxBatchSize = 100;

function parseBatchSize(value: string): number {
  const size = parsePositiveInteger(value);
  if (size > maxBatchSize)
    throw new InvalidArgumentError(`a batch holds at most ${maxBatchSize} records`);
  return size;
}

function parseDelimiter(value: string): string {
  const delimiter = value === "\\t" ? "\t" : value;
  if (!isUsableDelimiter(delimiter)) {
    throw new InvalidArgumentError(
      "expected one character other than a quote or a line break (\\t for a tab)",
    );
  }
  return delimiter;
}

function progressSnapshot(
  progress: WriteProgress,
  total: number | undefined,
  elapsedMs: number,
): ProgressSnapshot {
  return {
    done: progress.succeeded + progress.failed + progress.accepted,
    ...(total !== undefined ? { total } : {}),
    failed: progress.failed,
    elapsedMs,
    detail: `sent ${progress.sent}`,
  };
}

/** `Done: 250 records in 3 operations, 248 ok, 2 failed (2.4s, 104 records/s)` and the first failures. */
export function formatWriteSummary(summary: WriteRunSummary, showFailures: number): string {
  const seconds = summary.elapsedMs / 1000;
  const settled = summary.succeeded + summary.failed + summary.accepted;
  const rate = seconds > 0 ? Math.round(settled / seconds) : settled;
  const counts = [`${summary.succeeded} ok`, `${summary.failed} failed`];
  if (summary.accepted > 0) counts.push(`${summary.accepted} accepted (outcome not awaited)`);
  const head = summary.interrupted
    ? "Interrupted"
    : summary.stoppedBy !== undefined
      ? "Stopped"
      : "Done";
  const lines = [
    `${head}: ${plural(summary.read, "record")} in ${plural(summary.operationIds.length, "operation")}, ${counts.join(", ")} (${seconds.toFixed(1)}s, ${rate} records/s)`,
  ];
  const unsent = summary.read - settled;
  if (unsent > 0) lines.push(`${plural(unsent, "record")} read but not sent`);
  const shown = summary.failures.slice(0, showFailures);
  if (shown.length > 0) {
    lines.push(
      `${shown.length === summary.failed ? "Failures" : `First ${shown.length} of ${summary.failed} failures`}:`,
    );
    for (const failure of shown) {
      const operation = failure.operationId ? ` (operation ${failure.operationId})` : "";
      lines.push(`  line ${failure.line}: ${failure.message}${operation}`);
    }
  }
  return lines.join("\n");
}

async function runWrite(ctx: CommandContext, options: WriteCommandOptions): Promise<number> {
  const format = options.format ?? formatOfFile(options.file);
  if (!format)
    throw new UsageError(
      `cannot tell the format of ${options.file}; name it .jsonl or .csv, or pass --format`,
    );
  // The write endpoint batches creates and updates only.
  const batchSize = options.type === "delete" ? 1 : options.batchSize;
  const path = resolve(ctx.cwd, options.file);
  try {
    await access(path);
  } catch {
    throw new UsageError(`cannot read ${options.file}`);
  }
  const project = await ctx.project();
  const total = await countRecordLines(path, format);
  const mode = options.async ? "asynchronous" : "synchronous";
  const progressBar = new ProgressReporter(ctx.stderr, { now: ctx.now });
  const startedAt = ctx.now();
  const runId = randomBytes(6).toString("hex");

  let summary: WriteRunSummary;
  try {
    summary = await writeRecords({
      client: ctx.client(),
      target: {
        project,
        integration: options.integration,
        objectName: options.object,
        groupRef: options.groupRef,
        type: options.type,
      },
      records: readRecordFile(path, format, {
        inferTypes: options.inferTypes === true,
        delimiter: options.delimiter,
      }),
      batchSize,
      concurrency: options.concurrency,
      mode,
      waitForOutcome: options.wait,
      runId,
      now: ctx.now,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (progress) =>
        progressBar.update(progressSnapshot(progress, total, ctx.now() - startedAt)),
    });
  } catch (error) {
    if (error instanceof RecordFileError) {
      ctx.note(`error: ${options.file}: ${error.message}`);
      return exitCodes.failure;
    }
    throw error;
  }
  progressBar.finish(progressSnapshot(summary, total, summary.elapsedMs));

  if (ctx.json) {
    const { stoppedBy, ...rest } = summary;
    ctx.printJson({
      ...rest,
      ...(stoppedBy !== undefined ? { stoppedBy: formatErrorReport(stoppedBy) } : {}),
    });
  } else {
    ctx.print(formatWriteSummary(summary, options.showFailures));
  }
  if (summary.stoppedBy !== undefined) ctx.note(formatErrorReport(summary.stoppedBy));
  if (summary.interrupted) return exitCodes.interrupted;
  return summary.failed > 0 || summary.stoppedBy !== undefined ? exitCodes.failure : exitCodes.ok;
}

export function registerWriteCommand(program: Command, act: ActionFactory): void {
  program
    .command("write")
    .description("write the records of a JSONL or CSV file, in batches, with a progress bar")
    .requiredOption("--integration <idOrName>", "the integration to write through")
    .requiredOption("--object <objectName>", "a write object of the integration, e.g. contact")
    .requiredOption("--group-ref <groupRef>", "the customer group whose installation is used")
    .requiredOption(
      "--file <path>",
      "records: .jsonl (one JSON object per line) or .csv (header row first)",
    )
    .addOption(
      new Option("--type <type>", "the write type; delete sends one record per request")
        .choices(["create", "update", "delete"])
        .default("create"),
    )
    .addOption(
      new Option("--format <format>", "override the format the extension implies").choices([
        "jsonl",
        "csv",
      ]),
    )
    .option(
      "--batch-size <n>",
      `records per request, 1 to ${maxBatchSize}`,
      parseBatchSize,
      maxBatchSize,
    )
    .option("--concurrency <n>", "requests in flight at once", parsePositiveInteger, 4)
    .option("--async", "submit asynchronously (202) instead of waiting for each batch's outcome")
    .option("--no-wait", "with --async: do not poll the operations; report them as accepted")
    .option(
      "--infer-types",
      "CSV: unquoted true/false become booleans and unquoted numbers numbers",
    )
    .option("--delimiter <char>", "CSV: the field delimiter (\\t for a tab)", parseDelimiter, ",")
    .option("--show-failures <n>", "how many failures the summary lists", parsePositiveInteger, 10)
    .addHelpText(
      "after",
      `
Each record keeps the line number it came from, so failures point back into the file. A line
that cannot be read (bad JSON, wrong number of CSV fields) is reported and skipped and counts
as a failure. Requests are retried with the same Idempotency-Key when the API cannot take them,
so no record is written twice. Exits 1 when any record failed.

CSV: values stay strings unless --infer-types; an empty cell leaves the field out (so the
installation's default applies), a quoted empty cell ("") sends an empty string. For update
and delete, give each record's provider ID in an "id" field.

Examples:
  $ writ write --integration crm-sync --object contact --group-ref customer-42 --file contacts.jsonl
  $ writ write --integration crm-sync --object contact --group-ref customer-42 \\
      --file contacts.csv --infer-types --batch-size 50 --concurrency 8
  $ writ write --integration crm-sync --object contact --group-ref customer-42 \\
      --file updates.jsonl --type update --async --json > summary.json`,
    )
    .action(act(async (ctx, command) => runWrite(ctx, command.opts<WriteCommandOptions>())));
}
