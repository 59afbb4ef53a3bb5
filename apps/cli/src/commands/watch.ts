import type { OperationFilter } from "@writ/sdk";
import { WritApiError, type WritClient, WritConnectionError } from "@writ/sdk";
import type { Command } from "commander";
import { abortableSleep } from "../abortableSleep";
import { exitCodes } from "../io";
import { ProgressReporter } from "../output/progressBar";
import type { ActionFactory } from "./commandHandler";
import { integrationIdFor, parsePositiveInteger, parsePositiveNumber } from "./operations";

export interface OperationTally {
  operations: number;
  inProgress: number;
  succeeded: number;
  failed: number;
  recordsOk: number;
  recordsFailed: number;
  /** True when the page budget ran out before the window did: the counts are a lower bound. */
  capped: boolean;
}

/** Pages fetched per refresh at most, so a busy project does not turn each refresh into a scan. */
const maxPagesPerRefresh = 20;
const pageSize = 500;

/** Counts the operations created since `sinceMs`, newest first, across pages. */
export async function tallyRecentOperations(
  client: WritClient,
  project: string,
  filter: OperationFilter,
  sinceMs: number,
): Promise<OperationTally> {
  const tally: OperationTally = {
    operations: 0,
    inProgress: 0,
    succeeded: 0,
    failed: 0,
    recordsOk: 0,
    recordsFailed: 0,
    capped: false,
  };
  let cursor: string | undefined;
  for (let page = 0; page < maxPagesPerRefresh; page++) {
    const answer = await client.listOperations(project, {
      ...filter,
      limit: pageSize,
      ...(cursor ? { cursor } : {}),
    });
    for (const operation of answer.operations) {
      if (Date.parse(operation.createTime) < sinceMs) return tally;
      tally.operations++;
      if (operation.status === "in_progress") tally.inProgress++;
      else if (operation.status === "success") tally.succeeded++;
      else tally.failed++;
      tally.recordsOk += operation.successCount;
      tally.recordsFailed += operation.failureCount;
    }
    if (answer.pagination.done || !answer.pagination.nextPageToken) return tally;
    cursor = answer.pagination.nextPageToken;
  }
  tally.capped = true;
  return tally;
}

const barWidth = 24;

/** `[#######.........] 7/16 succeeded  2 in progress  7 failed  records 70 ok, 9 failed`. */
export function renderTally(tally: OperationTally): string {
  const ratio = tally.operations === 0 ? 0 : tally.succeeded / tally.operations;
  const filled = Math.min(barWidth, Math.floor(ratio * barWidth));
  const total = `${tally.operations}${tally.capped ? "+" : ""}`;
  return [
    `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]`,
    `${tally.succeeded}/${total} succeeded`,
    `${tally.inProgress} in progress`,
    `${tally.failed} failed`,
    `records ${tally.recordsOk} ok, ${tally.recordsFailed} failed`,
  ].join("  ");
}

export function registerWatchCommand(program: Command, act: ActionFactory): void {
  program
    .command("watch")
    .description("live counts of recent operations by status, refreshed until Ctrl-C")
    .option("--interval <seconds>", "seconds between refreshes", parsePositiveNumber, 2)
    .option(
      "--since <minutes>",
      "count operations created in the last this many minutes",
      parsePositiveInteger,
      15,
    )
    .option("--group-ref <groupRef>", "only this customer group")
    .option("--object <objectName>", "only this object")
    .option("--integration <idOrName>", "only this integration")
    .option("--once", "print one snapshot and exit")
    .addHelpText(
      "after",
      `
The bar is operations that succeeded out of all operations in the window.

Examples:
  $ writ watch
  $ writ watch --interval 5 --since 60 --object contact
  $ writ watch --once --json`,
    )
    .action(
      act(async (ctx, command) => {
        const options = command.opts<{
          interval: number;
          since: number;
          groupRef?: string;
          object?: string;
          integration?: string;
          once?: boolean;
        }>();
        const project = await ctx.project();
        const filter: OperationFilter = {
          ...(options.groupRef ? { groupRef: options.groupRef } : {}),
          ...(options.object ? { objectName: options.object } : {}),
        };
        const integrationId = await integrationIdFor(ctx, project, options.integration);
        if (integrationId) filter.integrationId = integrationId;
        const windowMs = options.since * 60_000;
        const tally = () =>
          tallyRecentOperations(ctx.client(), project, filter, ctx.now() - windowMs);

        if (options.once) {
          const snapshot = await tally();
          if (ctx.json) ctx.printJson({ project, sinceMinutes: options.since, ...snapshot });
          else ctx.print(renderTally(snapshot));
          return exitCodes.ok;
        }

        // Redraws go to stderr like every progress display; a non-terminal gets one line per change.
        const reporter = new ProgressReporter<OperationTally>(ctx.stderr, {
          now: ctx.now,
          redrawMs: 0,
          lineEveryMs: 0,
          render: renderTally,
        });
        ctx.note(
          `Operations of project ${project} created in the last ${options.since} min (Ctrl-C to stop)`,
        );
        let last: OperationTally | undefined;
        let lastPrinted = "";
        let lastFailure = "";
        while (!ctx.signal?.aborted) {
          try {
            last = await tally();
            const line = renderTally(last);
            if (ctx.stderr.isTTY || line !== lastPrinted) reporter.update(last);
            lastPrinted = line;
            lastFailure = "";
          } catch (error) {
            // A blip (API restarting) is shown once and retried; refused credentials end the watch.
            if (
              !(error instanceof WritConnectionError) &&
              !(error instanceof WritApiError && error.status >= 500)
            ) {
              throw error;
            }
            const failure = `(refresh failed: ${error.message.split("\n")[0]}; retrying)`;
            if (failure !== lastFailure) ctx.note(ctx.stderr.isTTY ? `\n${failure}` : failure);
            lastFailure = failure;
            lastPrinted = "";
          }
          await abortableSleep(options.interval * 1000, ctx.signal);
        }
        if (last) reporter.finish(last);
        return exitCodes.ok;
      }),
    );
}
