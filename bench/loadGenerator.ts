// The load process: reads a LoadSpec (JSON) on stdin, runs autocannon (or, for a fixed rate, its
// own evenly paced sender), and writes JSON lines on stdout: {"event":"start"} and {"event":"end"}
// around the measured window, then {"event":"result","result":LoadResult}. Started by
// bench/load.ts; not meant to be run by hand.
import { randomBytes } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import type { FollowSpec, LoadResult, LoadSpec } from "./load";
import { distribution } from "./stats";

interface TimingContext {
  sentAt?: number;
}

function emit(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function readSpec(): Promise<LoadSpec> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text) as LoadSpec;
}

const placeholder = "{{seq}}";
const runTag = randomBytes(4).toString("hex");
let sequence = 0;

/** Builds one autocannon request: per-request unique values, timing, follow-up polling. */
function buildRequest(
  spec: LoadSpec,
  record: { timed: number[]; follow: number[]; unfinished: number; pending: Set<Promise<void>> },
  measuring: () => boolean,
): autocannon.Request {
  const method = spec.method ?? "POST";
  const headers = { ...spec.headers };
  const bodyParts = spec.body?.split(placeholder);
  const headerTemplates = Object.entries(headers).filter(([, value]) =>
    value.includes(placeholder),
  );
  const dynamic = spec.unique === true || spec.timeRequests === true || spec.follow !== undefined;
  const request: autocannon.Request = { method, headers, body: spec.body };
  if (dynamic) {
    request.setupRequest = (req, context) => {
      (context as TimingContext).sentAt = performance.now();
      if (!spec.unique) return req;
      const seq = `${runTag}-${sequence++}`;
      const next: autocannon.Request = { ...req };
      if (bodyParts && bodyParts.length > 1) next.body = bodyParts.join(seq);
      if (headerTemplates.length > 0) {
        const varied = { ...headers };
        for (const [name, value] of headerTemplates)
          varied[name] = value.split(placeholder).join(seq);
        next.headers = varied;
      }
      return next;
    };
    request.onResponse = (status, body, context) => {
      const sentAt = (context as TimingContext).sentAt;
      if (sentAt === undefined || !measuring() || status < 200 || status > 299) return;
      const answeredAt = performance.now();
      if (spec.timeRequests) record.timed.push(answeredAt - sentAt);
      if (spec.follow) {
        const operationId = (JSON.parse(body) as { operationId?: string }).operationId;
        if (!operationId) return;
        const polling = followOperation(spec.follow, operationId, sentAt).then((doneAt) => {
          if (doneAt === undefined) record.unfinished++;
          else record.follow.push(doneAt - sentAt);
          record.pending.delete(polling);
        });
        record.pending.add(polling);
      }
    };
  }
  return request;
}

/** Polls until the operation is done; resolves with when it was seen done, or undefined. */
async function followOperation(
  follow: FollowSpec,
  operationId: string,
  sentAt: number,
): Promise<number | undefined> {
  const url = follow.urlTemplate.replace("{id}", encodeURIComponent(operationId));
  while (performance.now() - sentAt < follow.timeoutMs) {
    try {
      const response = await fetch(url, { headers: follow.headers });
      if (response.ok) {
        const body = (await response.json()) as Record<string, unknown>;
        if (body[follow.field] === follow.value) return performance.now();
      } else {
        await response.arrayBuffer();
      }
    } catch {
      // count it as not done yet
    }
    await new Promise((resolve) => setTimeout(resolve, follow.intervalMs));
  }
  return undefined;
}

/**
 * A fixed rate, sent evenly: request i leaves at start + i / rate, whether or not earlier ones
 * have been answered (an open loop, so a slow answer cannot hold back the next request).
 * autocannon's own `overallRate` sends each connection's share of a second back to back at the
 * start of the second, so "69 requests/s" arrives as a 69-request burst every second: a
 * measurement of burst recovery, not of latency at that rate.
 */
async function runPaced(
  spec: LoadSpec & { overallRate: number },
  url: URL,
  record: { timed: number[]; follow: number[]; unfinished: number; pending: Set<Promise<void>> },
  sampleErrors: string[],
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const method = spec.method ?? "POST";
  const bodyParts = spec.body?.split(placeholder);
  const headerTemplates = Object.entries(spec.headers ?? {}).filter(([, value]) =>
    value.includes(placeholder),
  );
  const intervalMs = 1000 / spec.overallRate;
  const total =
    spec.amount ?? Math.max(1, Math.round((spec.durationSeconds ?? 10) * spec.overallRate));
  const codes: Record<string, number> = {};
  const latencies: number[] = [];
  let errors = 0;
  let timeouts = 0;
  let lastAnswerAt = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (): Promise<void> => {
    const seq = `${runTag}-${sequence++}`;
    const body = spec.unique && bodyParts && bodyParts.length > 1 ? bodyParts.join(seq) : spec.body;
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.unique)
      for (const [name, value] of headerTemplates)
        headers[name] = value.split(placeholder).join(seq);
    if (body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(body));
    const sentAt = performance.now();
    return new Promise<void>((resolve) => {
      const req = httpRequest(
        url,
        { method, headers, agent, timeout: (spec.timeoutSeconds ?? 30) * 1000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const answeredAt = performance.now();
            lastAnswerAt = answeredAt;
            const status = res.statusCode ?? 0;
            codes[status] = (codes[status] ?? 0) + 1;
            const text = Buffer.concat(chunks).toString("utf8");
            if (status >= 200 && status <= 299) {
              latencies.push(answeredAt - sentAt);
              if (spec.timeRequests) record.timed.push(answeredAt - sentAt);
              const follow = spec.follow;
              if (follow) {
                const operationId = (JSON.parse(text) as { operationId?: string }).operationId;
                if (operationId) {
                  const polling = followOperation(follow, operationId, sentAt).then((doneAt) => {
                    if (doneAt === undefined) record.unfinished++;
                    else record.follow.push(doneAt - sentAt);
                    record.pending.delete(polling);
                  });
                  record.pending.add(polling);
                }
              }
            } else if (sampleErrors.length < 5) {
              sampleErrors.push(`${status} ${text.slice(0, 300)}`);
            }
            resolve();
          });
        },
      );
      req.on("timeout", () => {
        timeouts++;
        req.destroy(new Error("timeout"));
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  };

  const startedAt = performance.now();
  for (let i = 0; i < total; i++) {
    const due = startedAt + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sending = send().then(() => {
      inFlight.delete(sending);
    });
    inFlight.add(sending);
  }
  await Promise.all([...inFlight]);
  agent.destroy();
  const durationSeconds =
    (Math.max(lastAnswerAt, startedAt + total * intervalMs) - startedAt) / 1000;
  const responses = Object.values(codes).reduce((sum, count) => sum + count, 0);
  const ok = latencies.length;
  const spread = distribution(latencies);
  return {
    durationSeconds,
    responses,
    ok,
    okPerSecond: ok / durationSeconds,
    non2xx: responses - ok,
    errors,
    timeouts,
    statusCodes: codes,
    latencyMs: {
      p50: spread.p50,
      p90: spread.p90,
      p99: spread.p99,
      max: spread.max,
      mean: spread.mean,
    },
    sampleErrors,
  };
}

function statusCodes(result: autocannon.Result): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    codes[code] = stats.count ?? 0;
  }
  return codes;
}

async function main(): Promise<void> {
  const spec = await readSpec();
  const url = new URL(spec.url);
  const base = `${url.protocol}//${url.host}`;
  const path = `${url.pathname}${url.search}`;
  const record = {
    timed: [] as number[],
    follow: [] as number[],
    unfinished: 0,
    pending: new Set<Promise<void>>(),
  };
  let measuring = false;
  const sampleErrors: string[] = [];

  if (spec.warmupSeconds && spec.warmupSeconds > 0) {
    await autocannon({
      url: base,
      connections: spec.warmupConnections ?? Math.min(spec.connections, 10),
      duration: spec.warmupSeconds,
      requests: [{ ...buildRequest(spec, record, () => false), path }],
    });
  }

  const request = buildRequest(spec, record, () => measuring);
  const onResponse = request.onResponse;
  request.onResponse = (status, body, context, headers) => {
    if ((status < 200 || status > 299) && sampleErrors.length < 5) {
      sampleErrors.push(`${status} ${body.slice(0, 300)}`);
    }
    if (typeof onResponse === "function") onResponse(status, body, context, headers);
  };
  const options: autocannon.Options = {
    url: base,
    connections: spec.connections,
    requests: [{ ...request, path }],
    timeout: spec.timeoutSeconds ?? 30,
  };
  if (spec.amount !== undefined) options.amount = spec.amount;
  else options.duration = spec.durationSeconds ?? 10;

  if (spec.overallRate !== undefined) {
    measuring = true;
    emit({ event: "start" });
    const output = await runPaced(
      { ...spec, overallRate: spec.overallRate },
      url,
      record,
      sampleErrors,
    );
    measuring = false;
    emit({ event: "end" });
    await Promise.all([...record.pending]);
    if (spec.timeRequests) output.timedMs = distribution(record.timed);
    if (spec.follow)
      output.follow = { ...distribution(record.follow), unfinished: record.unfinished };
    emit({ event: "result", result: output });
    return;
  }

  measuring = true;
  emit({ event: "start" });
  const result = await autocannon(options);
  measuring = false;
  emit({ event: "end" });
  await Promise.all([...record.pending]);

  const output: LoadResult = {
    durationSeconds: result.duration,
    responses: result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"],
    ok: result["2xx"],
    okPerSecond: result["2xx"] / result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: statusCodes(result),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    sampleErrors,
  };
  if (spec.timeRequests) output.timedMs = distribution(record.timed);
  if (spec.follow)
    output.follow = { ...distribution(record.follow), unfinished: record.unfinished };
  emit({ event: "result", result: output });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
