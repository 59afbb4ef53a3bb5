import { benchEnv } from "../env";
import { runLoad } from "../load";
import { describeLoad, sleep } from "../measure";
import { ResultBuilder, type Scenario } from "../scenario";
import { createSandboxAccount, httpJson, installTarget, singleWriteBody } from "../seed";
import { BenchStack } from "../stack";

const totalWrites = 20_000;
const timeoutSeconds = 120;
const rateLimit = { requests: 100, intervalMs: 10_000 };
const requestsPerSecond = rateLimit.requests / (rateLimit.intervalMs / 1000);
/** HubSpot batch endpoints take 100 inputs: the most a limited connection can deliver. */
const ceiling = requestsPerSecond * 100;
/** One record per provider request. */
const naive = requestsPerSecond;
const connections = 50;
/** Start another run only while the scenario has used less than this (keeps `npm run bench` short). */
const budgetSeconds = 200;

interface LogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  records: number;
}

interface RunOutcome {
  run: number;
  finished: boolean;
  secondsToFinish: number;
  load: unknown;
  operations: Record<string, number>;
  providerRequests: number;
  deliveredRecords: number;
  deliveredPerSecond: number;
  tooManyRequests: number;
  tooManyRequestsAfterWarmup: number;
  recordsInSandbox: number;
  duplicateEmails: number;
  batchCalls: number;
  singleCalls: number;
}

export const rateLimited: Scenario = {
  name: "rate-limited",
  title: `${totalWrites.toLocaleString("en-US")} single writes through one HubSpot connection limited to ${rateLimit.requests} requests per ${rateLimit.intervalMs / 1000} s`,
  async run(context) {
    const result = new ResultBuilder(
      this,
      `${connections} connections post ${totalWrites.toLocaleString("en-US")} async single writes (unique contacts) to one installation whose sandbox HubSpot account allows ${rateLimit.requests} requests per ${rateLimit.intervalMs / 1000} s; one worker delivers them. Delivered records/s = records the sandbox accepted ÷ (last successful provider call − first provider call). The ceiling is ${ceiling.toLocaleString("en-US")} records/s (${requestsPerSecond} batch calls of 100 per second); the naive figure, one record per call, is ${naive} records/s. A run stops after ${timeoutSeconds} s; "after warm-up" means after the first ${rateLimit.intervalMs / 1000} s window of provider calls. Exactly-once: the sandbox holds ${totalWrites.toLocaleString("en-US")} contacts and no email twice.`,
      {
        totalWrites,
        rateLimit,
        connections,
        timeoutSeconds,
        workerConcurrency: benchEnv.BENCH_WORKER_CONCURRENCY,
        runs: context.runs,
      },
    );
    const stack = await BenchStack.start({
      sandbox: true,
      worker: true,
      cpuProfile: context.cpuProfile,
    });
    try {
      const scenarioStarted = Date.now();
      const outcomes: RunOutcome[] = [];
      for (let run = 1; run <= context.runs; run++) {
        const account = await createSandboxAccount(stack.sandboxUrl, {
          provider: "hubspot",
          rateLimit,
        });
        const target = await installTarget(
          stack.project!,
          `rate-limited-${run}`,
          account.accessToken,
        );
        const started = Date.now();
        const loading = runLoad({
          url: target.writeUrl,
          headers: target.headers,
          body: singleWriteBody(target.groupRef, { unique: true }),
          connections,
          amount: totalWrites,
          unique: true,
        });
        let operations: Record<string, number> = {};
        let finished = false;
        let lastReport = started;
        while (Date.now() - started < timeoutSeconds * 1000) {
          await sleep(1000);
          operations = await stack.operationsByStatus(target.groupRef);
          const done = (operations.success ?? 0) + (operations.failure ?? 0);
          if (done >= totalWrites) {
            finished = true;
            break;
          }
          if (Date.now() - lastReport >= 10_000) {
            lastReport = Date.now();
            context.log(
              `run ${run}: ${((Date.now() - started) / 1000).toFixed(0)} s, operations ${JSON.stringify(operations)}, queued ${await stack.backlog()}`,
            );
          }
        }
        const secondsToFinish = (Date.now() - started) / 1000;
        const load = await loading;
        context.log(`run ${run}: enqueued ${describeLoad(load)}`);
        if (!finished) await stack.clearQueue();
        // Let calls in flight land before reading the sandbox.
        await sleep(finished ? 500 : 3000);

        const log = await httpJson<LogEntry[]>(
          "GET",
          `${stack.sandboxUrl}/_sandbox/accounts/${account.id}/requests`,
        );
        const records = await httpJson<Array<{ properties: Record<string, unknown> }>>(
          "GET",
          `${stack.sandboxUrl}/_sandbox/accounts/${account.id}/records/contacts`,
        );
        const firstAt = log[0]?.at ?? started;
        const successes = log.filter((entry) => entry.status >= 200 && entry.status < 300);
        const lastSuccessAt = successes.reduce(
          (latest, entry) => Math.max(latest, entry.at),
          firstAt,
        );
        const deliveredRecords = successes.reduce((sum, entry) => sum + entry.records, 0);
        const windowSeconds = finished
          ? Math.max(0.001, (lastSuccessAt - firstAt) / 1000)
          : (started + timeoutSeconds * 1000 - firstAt) / 1000;
        const emails = new Set(records.map((record) => String(record.properties.email)));
        const outcome: RunOutcome = {
          run,
          finished,
          secondsToFinish,
          load,
          operations: finished ? operations : await stack.operationsByStatus(target.groupRef),
          providerRequests: log.length,
          deliveredRecords,
          deliveredPerSecond: deliveredRecords / windowSeconds,
          tooManyRequests: log.filter((entry) => entry.status === 429).length,
          tooManyRequestsAfterWarmup: log.filter(
            (entry) => entry.status === 429 && entry.at >= firstAt + rateLimit.intervalMs,
          ).length,
          recordsInSandbox: records.length,
          duplicateEmails: records.length - emails.size,
          batchCalls: successes.filter((entry) => entry.path.includes("/batch/")).length,
          singleCalls: successes.filter((entry) => !entry.path.includes("/batch/")).length,
        };
        outcomes.push(outcome);
        result.detail({ ...outcome });
        context.log(
          `run ${run}: ${finished ? "finished" : "timed out"} after ${secondsToFinish.toFixed(0)} s: ${outcome.deliveredRecords} records delivered (${outcome.deliveredPerSecond.toFixed(1)}/s) in ${outcome.providerRequests} provider calls (${outcome.batchCalls} batch), ${outcome.tooManyRequests} × 429 (${outcome.tooManyRequestsAfterWarmup} after warm-up), ${outcome.recordsInSandbox} in the sandbox, ${outcome.duplicateEmails} duplicate emails`,
        );
        if (!finished) {
          result.note(
            `Run ${run} stopped at the ${timeoutSeconds} s timeout with ${outcome.recordsInSandbox.toLocaleString("en-US")} of ${totalWrites.toLocaleString("en-US")} records in the sandbox${run < context.runs ? "; further runs were skipped" : ""}.`,
          );
          break;
        }
        await stack.clearQueue();
        const spent = (Date.now() - scenarioStarted) / 1000;
        if (run < context.runs && spent + secondsToFinish > budgetSeconds) {
          result.note(
            `Runs after run ${run} were skipped: another would take the scenario past its ${budgetSeconds} s budget.`,
          );
          break;
        }
      }

      result.figure({
        label: "Delivered records/s",
        unit: "records/s",
        runs: outcomes.map((o) => o.deliveredPerSecond),
        baseline: { label: "naive, one record per call", runs: outcomes.map(() => naive) },
        note: `ceiling ${ceiling.toLocaleString("en-US")} records/s`,
      });
      result.figure({
        label: "Share of the ceiling",
        unit: "%",
        runs: outcomes.map((o) => (o.deliveredPerSecond / ceiling) * 100),
      });
      result.figure({
        label: "Records per successful provider call",
        unit: "count",
        runs: outcomes.map((o) => o.deliveredRecords / Math.max(1, o.batchCalls + o.singleCalls)),
      });
      result.figure({
        label: "Time to deliver every record",
        unit: "s",
        runs: outcomes.map((o) => (o.finished ? o.secondsToFinish : Number.NaN)),
        note: "from the first POST until every operation is final; – when a run timed out",
      });
      result.figure({
        label: "429s after warm-up",
        unit: "count",
        runs: outcomes.map((o) => o.tooManyRequestsAfterWarmup),
      });
      result.figure({
        label: "429s in all",
        unit: "count",
        runs: outcomes.map((o) => o.tooManyRequests),
      });
      result.figure({
        label: "Contacts in the sandbox",
        unit: "count",
        runs: outcomes.map((o) => o.recordsInSandbox),
        target: { on: "value", op: "==", threshold: totalWrites },
      });
      result.figure({
        label: "Duplicate emails in the sandbox",
        unit: "count",
        runs: outcomes.map((o) => o.duplicateEmails),
        target: { on: "value", op: "==", threshold: 0 },
      });
      result.figure({
        label: "Successful provider calls that were batch calls",
        unit: "%",
        runs: outcomes.map((o) => (o.batchCalls / Math.max(1, o.batchCalls + o.singleCalls)) * 100),
      });
      return result.build();
    } finally {
      await stack.close();
    }
  },
};
