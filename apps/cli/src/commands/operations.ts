import type { Operation, OperationFilter, OperationSummary } from "@writ/sdk";
import { type Command, InvalidArgumentError } from "commander";
import { abortableSleep } from "../abortableSleep";
import type { CommandContext } from "../commandContext";
import { exitCodes, UsageError } from "../io";
import { formatTable, formatTime, plural } from "../output/table";
import { type ActionFactory, positionalArgument } from "./commandHandler";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError("expected a whole number of 1 or more");
  return number;
}

export function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new InvalidArgumentError("expected a number above 0");
  return number;
}

const operationStatuses = ["in_progress", "success", "failure"] as const;

export function parseOperationStatus(value: string): OperationFilter["status"] {
  const status = operationStatuses.find((known) => known === value);
  if (!status) throw new InvalidArgumentError(`expected one of ${operationStatuses.join(", ")}`);
  return status;
}

/** The list endpoint filters by integration id; a name is looked up first. */
export async function integrationIdFor(
  ctx: CommandContext,
  project: string,
  integration: string | undefined,
) {
  if (integration === undefined || uuidPattern.test(integration)) return integration;
  return (await ctx.client().getIntegration(project, integration)).id;
}

export function recordCounts(
  operation: Pick<OperationSummary, "recordCount" | "successCount" | "failureCount">,
): string {
  return `${operation.successCount}/${operation.failureCount}/${operation.recordCount}`;
}

export function formatOperationTable(operations: OperationSummary[]): string {
  return formatTable(
    [
      { header: "ID" },
      { header: "STATUS" },
      { header: "OBJECT" },
      { header: "TYPE" },
      { header: "GROUP" },
      { header: "OK/FAILED/TOTAL", align: "right" },
      { header: "ATTEMPTS", align: "right" },
      { header: "CREATED" },
      { header: "RESULT", maxWidth: 60 },
    ],
    operations.map((operation) => [
      operation.id,
      operation.status,
      operation.objectName,
      operation.type,
      operation.groupRef,
      recordCounts(operation),
      String(operation.attempts),
      formatTime(operation.createTime),
      operation.result ?? "",
    ]),
  );
}

/** The human view of one operation: summary, records (failures first when there are many), attempts. */
export function formatOperation(
  operation: Operation,
  options: { allRecords?: boolean } = {},
): string {
  const lines = [`Operation ${operation.id}: ${operation.status}`];
  const field = (name: string, value: string | undefined) => {
    if (value) lines.push(`  ${name.padEnd(10)}${value}`);
  };
  field("result", operation.result);
  field(
    "object",
    `${operation.objectName} (${operation.type}, ${operation.isBatch ? "batch" : "single"}, ${operation.mode})`,
  );
  field("group", operation.groupRef);
  field(
    "records",
    `${operation.recordCount} total, ${operation.successCount} ok, ${operation.failureCount} failed`,
  );
  field("attempts", String(operation.metadata.retry.attempts));
  field("created", formatTime(operation.createTime));
  field("finished", formatTime(operation.finishTime));
  field(
    "deadline",
    operation.status === "in_progress" ? formatTime(operation.deadlineTime) : undefined,
  );
  field("trace", operation.traceId);
  for (const error of operation.errors ?? []) lines.push(`  error     ${error.message}`);

  const shownLimit = 50;
  const records =
    options.allRecords || operation.records.length <= shownLimit
      ? operation.records
      : operation.records.filter((record) => record.status !== "success").slice(0, shownLimit);
  if (records.length > 0) {
    lines.push("", "Records:");
    lines.push(
      formatTable(
        [
          { header: "INDEX", align: "right" },
          { header: "STATUS" },
          { header: "RECORD ID" },
          { header: "ERROR", maxWidth: 100 },
        ],
        records.map((record) => [
          String(record.index),
          record.status,
          record.recordId ?? "",
          record.error ?? "",
        ]),
      ),
    );
  }
  if (records.length < operation.records.length) {
    lines.push(
      `(${plural(operation.records.length - records.length, "more record")} not shown; --all-records lists every one)`,
    );
  }
  if (operation.attempts.length > 0) {
    lines.push("", "Attempts that did not settle the operation:");
    lines.push(
      formatTable(
        [
          { header: "AT" },
          { header: "DISPOSITION" },
          { header: "HTTP", align: "right" },
          { header: "CODE" },
          { header: "ERROR", maxWidth: 100 },
        ],
        operation.attempts.map((attempt) => [
          formatTime(attempt.at),
          attempt.disposition,
          attempt.status !== undefined ? String(attempt.status) : "",
          attempt.code ?? "",
          attempt.error,
        ]),
      ),
    );
  }
  return lines.join("\n");
}

export function registerOperationCommands(program: Command, act: ActionFactory): void {
  program
    .command("status")
    .description(
      "show a write operation: status, result, counts, each record's outcome and the attempts",
    )
    .argument("<operationId>", "the operationId a write answered")
    .option("--wait", "poll until the operation finishes; exit 1 if it failed")
    .option("--interval <seconds>", "seconds between polls with --wait", parsePositiveNumber, 1)
    .option("--all-records", "list every record, not only failures, for large batches")
    .addHelpText(
      "after",
      `
Examples:
  $ writ status 0193a1f2-7c4e-7b2a-9d1e-2f3a4b5c6d7e
  $ writ status 0193a1f2-7c4e-7b2a-9d1e-2f3a4b5c6d7e --wait --json | jq .records`,
    )
    .action(
      act(async (ctx, command) => {
        const options = command.opts<{ wait?: boolean; interval: number; allRecords?: boolean }>();
        const operationId = positionalArgument(command, 0);
        const project = await ctx.project();
        let operation = await ctx.client().getOperation(project, operationId);
        while (options.wait && operation.status === "in_progress" && !ctx.signal?.aborted) {
          await abortableSleep(options.interval * 1000, ctx.signal);
          if (ctx.signal?.aborted) break;
          operation = await ctx.client().getOperation(project, operationId);
        }
        if (ctx.json) ctx.printJson(operation);
        else ctx.print(formatOperation(operation, { allRecords: options.allRecords === true }));
        return options.wait && operation.status === "failure" ? exitCodes.failure : exitCodes.ok;
      }),
    );

  program
    .command("operations")
    .description("list write operations, newest first")
    .option("--status <status>", "in_progress, success or failure", parseOperationStatus)
    .option("--group-ref <groupRef>", "only this customer group")
    .option("--object <objectName>", "only this object")
    .option("--integration <idOrName>", "only this integration")
    .option("--limit <n>", "how many to show (page size with --all)", parsePositiveInteger, 20)
    .option("--all", "follow pagination to the last operation")
    .addHelpText(
      "after",
      `
The OK/FAILED/TOTAL column counts records.

Examples:
  $ writ operations --status failure
  $ writ operations --group-ref customer-42 --object contact --limit 50
  $ writ operations --all --json > operations.json`,
    )
    .action(
      act(async (ctx, command) => {
        const options = command.opts<{
          status?: OperationFilter["status"];
          groupRef?: string;
          object?: string;
          integration?: string;
          limit: number;
          all?: boolean;
        }>();
        if (options.limit > 500) throw new UsageError("--limit is at most 500");
        const project = await ctx.project();
        const filter: OperationFilter = {
          ...(options.status ? { status: options.status } : {}),
          ...(options.groupRef ? { groupRef: options.groupRef } : {}),
          ...(options.object ? { objectName: options.object } : {}),
        };
        const integrationId = await integrationIdFor(ctx, project, options.integration);
        if (integrationId) filter.integrationId = integrationId;
        let operations: OperationSummary[];
        let more = false;
        if (options.all) {
          operations = [];
          for await (const operation of ctx
            .client()
            .iterateOperations(project, { ...filter, limit: options.limit })) {
            operations.push(operation);
            if (ctx.signal?.aborted) break;
          }
        } else {
          const page = await ctx
            .client()
            .listOperations(project, { ...filter, limit: options.limit });
          operations = page.operations;
          more = !page.pagination.done;
        }
        if (ctx.json) {
          ctx.printJson(operations);
          return exitCodes.ok;
        }
        if (operations.length === 0) {
          ctx.print("No operations match.");
          return exitCodes.ok;
        }
        ctx.print(formatOperationTable(operations));
        if (more) ctx.note(`(showing the newest ${operations.length}; --all lists every one)`);
        return exitCodes.ok;
      }),
    );

  program
    .command("replay")
    .description("write a finished operation's records again, as a new operation")
    .argument("<operationId>", "the operation to replay")
    .addHelpText(
      "after",
      `
Examples:
  $ writ replay 0193a1f2-7c4e-7b2a-9d1e-2f3a4b5c6d7e
  $ writ status $(writ replay 0193a1f2-7c4e-7b2a-9d1e-2f3a4b5c6d7e --json | jq -r .operationId) --wait`,
    )
    .action(
      act(async (ctx, command) => {
        const operationId = positionalArgument(command, 0);
        const project = await ctx.project();
        const replay = await ctx.client().replayOperation(project, operationId);
        if (ctx.json) ctx.printJson(replay);
        else {
          ctx.print(`Replaying operation ${operationId} as ${replay.operationId}`);
          ctx.note(`Follow it with: writ status ${replay.operationId} --wait`);
        }
        return exitCodes.ok;
      }),
    );
}
