import { WritApiError, WritClient } from "@writ/sdk";
import { describe, expect, it } from "vitest";
import type { SourceRecord } from "../records/sourceRecord";
import {
  isRetryable,
  rejectedRecordIndexes,
  type WriteRunOptions,
  writeRecords,
} from "./writeRecords";

interface WriteCall {
  body: {
    batch?: Array<{ record: Record<string, unknown> }>;
    record?: Record<string, unknown>;
    mode?: string;
  };
  idempotencyKey: string | null;
}

type Reply = Response | Error;

/**
 * A stand-in for the write and operation endpoints: `onWrite` decides each write's answer,
 * `operations` answers GET operation by id.
 */
function fakeApi(
  onWrite: (call: WriteCall, index: number) => Reply | Promise<Reply>,
  operations: Record<string, unknown[]> = {},
) {
  const writes: WriteCall[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    if (init?.method === "POST" && url.pathname.includes("/objects/")) {
      const call: WriteCall = {
        body: JSON.parse(String(init.body)),
        idempotencyKey: headers.get("idempotency-key"),
      };
      writes.push(call);
      const index = writes.length - 1;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const reply = await onWrite(call, index);
        if (reply instanceof Error) throw reply;
        return reply;
      } finally {
        inFlight--;
      }
    }
    const match = /\/operations\/([^/]+)$/.exec(url.pathname);
    const answers = match?.[1] ? operations[match[1]] : undefined;
    if (answers && answers.length > 0) {
      const next = answers.length > 1 ? answers.shift() : answers[0];
      return json(200, next);
    }
    return json(404, {
      type: "urn:writ:problem:not-found",
      title: "Not found",
      status: 404,
      detail: "not found",
    });
  }) as typeof fetch;
  return { fetchImpl, writes, maxInFlight: () => maxInFlight };
}

function json(status: number, body: unknown): Response {
  const problem = typeof body === "object" && body !== null && "detail" in body;
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": problem ? "application/problem+json" : "application/json" },
  });
}

function batchOk(call: WriteCall, operationId: string): Response {
  const count = call.body.batch?.length ?? 1;
  return json(200, { operationId, successCount: count, failureCount: 0, results: [] });
}

async function* records(items: SourceRecord[]): AsyncGenerator<SourceRecord> {
  yield* items;
}

function contacts(count: number, firstLine = 1): SourceRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    line: firstLine + index,
    record: { email: `c${index}@example.com` },
  }));
}

function options(
  fetchImpl: typeof fetch,
  source: SourceRecord[],
  overrides: Partial<WriteRunOptions> = {},
): WriteRunOptions {
  return {
    client: new WritClient({ baseUrl: "http://writ.test", apiKey: "k", fetch: fetchImpl }),
    target: {
      project: "p1",
      integration: "crm",
      objectName: "contact",
      groupRef: "g1",
      type: "create",
    },
    records: records(source),
    batchSize: 3,
    concurrency: 2,
    mode: "synchronous",
    waitForOutcome: true,
    runId: "run1",
    retryDelayMs: () => 0,
    pollIntervalMs: 1,
    ...overrides,
  };
}

describe("writeRecords", () => {
  it("sends batches of batchSize with at most `concurrency` requests in flight", async () => {
    const api = fakeApi((call, index) => batchOk(call, `op${index}`));
    const summary = await writeRecords(options(api.fetchImpl, contacts(7), { concurrency: 2 }));
    expect(api.writes.map((call) => call.body.batch?.length)).toEqual([3, 3, 1]);
    expect(api.maxInFlight()).toBe(2);
    expect(api.writes[0]?.body.mode).toBe("synchronous");
    expect(api.writes[0]?.body.batch?.[0]).toEqual({ record: { email: "c0@example.com" } });
    expect(api.writes.map((call) => call.idempotencyKey)).toEqual([
      "writ-cli-run1-L1-3-n3",
      "writ-cli-run1-L4-6-n3",
      "writ-cli-run1-L7-7-n1",
    ]);
    expect(summary).toMatchObject({
      read: 7,
      sent: 7,
      succeeded: 7,
      failed: 0,
      accepted: 0,
      failures: [],
      interrupted: false,
    });
    expect(summary.operationIds.sort()).toEqual(["op0", "op1", "op2"]);
  });

  it("reports each failed record with its line and the provider's message, from the operation", async () => {
    const api = fakeApi(
      () => json(200, { operationId: "op1", successCount: 2, failureCount: 1, results: [] }),
      {
        op1: [
          {
            id: "op1",
            status: "failure",
            records: [
              { index: 0, status: "success", recordId: "101" },
              { index: 1, status: "failure", error: "Email address nope is invalid" },
              { index: 2, status: "success", recordId: "103" },
            ],
          },
        ],
      },
    );
    const summary = await writeRecords(options(api.fetchImpl, contacts(3, 10)));
    expect(summary).toMatchObject({ succeeded: 2, failed: 1 });
    expect(summary.failures).toEqual([
      { line: 11, message: "Email address nope is invalid", operationId: "op1" },
    ]);
  });

  it("counts malformed lines as failures and still writes the rest", async () => {
    const api = fakeApi((call) => batchOk(call, "op"));
    const source: SourceRecord[] = [
      { line: 1, record: { a: 1 } },
      { line: 2, error: "not valid JSON (Unexpected end of JSON input)" },
      { line: 3, record: { a: 3 } },
    ];
    const summary = await writeRecords(options(api.fetchImpl, source));
    expect(api.writes[0]?.body.batch).toEqual([{ record: { a: 1 } }, { record: { a: 3 } }]);
    expect(summary).toMatchObject({ read: 3, succeeded: 2, failed: 1 });
    expect(summary.failures).toEqual([
      { line: 2, message: "not valid JSON (Unexpected end of JSON input)" },
    ]);
  });

  it("retries a request the API could not take with the same Idempotency-Key", async () => {
    const api = fakeApi((call, index) => {
      if (index === 0) return new TypeError("fetch failed");
      if (index === 1)
        return json(503, { type: "x", title: "Unavailable", status: 503, detail: "draining" });
      return batchOk(call, "op");
    });
    const summary = await writeRecords(options(api.fetchImpl, contacts(2)));
    expect(api.writes).toHaveLength(3);
    expect(new Set(api.writes.map((call) => call.idempotencyKey)).size).toBe(1);
    expect(summary).toMatchObject({ succeeded: 2, failed: 0, sent: 2 });
  });

  it("drops the records a 400 names and sends the others again under a new key", async () => {
    const api = fakeApi((call, index) => {
      if (index === 0) {
        return json(400, {
          type: "urn:writ:problem:validation",
          title: "Invalid request",
          status: 400,
          detail: "the request is not valid",
          issues: [
            { in: "body", name: "batch[1].record.id", detail: "record.id is required for update" },
          ],
        });
      }
      return batchOk(call, "op");
    });
    const summary = await writeRecords(options(api.fetchImpl, contacts(3, 5)));
    expect(api.writes[1]?.body.batch).toEqual([
      { record: { email: "c0@example.com" } },
      { record: { email: "c2@example.com" } },
    ]);
    expect(api.writes[1]?.idempotencyKey).not.toBe(api.writes[0]?.idempotencyKey);
    expect(summary).toMatchObject({ succeeded: 2, failed: 1 });
    expect(summary.failures).toEqual([{ line: 6, message: "record.id is required for update" }]);
  });

  it("stops at a refusal every request would get, without reading on", async () => {
    const api = fakeApi(() =>
      json(404, {
        type: "urn:writ:problem:not-found",
        title: "Not found",
        status: 404,
        detail: "integration crm has no installation for groupRef g1",
      }),
    );
    const summary = await writeRecords(options(api.fetchImpl, contacts(30), { concurrency: 1 }));
    expect(api.writes).toHaveLength(1);
    expect(summary.stoppedBy).toBeInstanceOf(WritApiError);
    expect(summary).toMatchObject({ sent: 0, succeeded: 0, failed: 0, failures: [] });
    expect(summary.read).toBeLessThan(30);
  });

  it("polls asynchronous operations until they finish", async () => {
    const api = fakeApi(
      (call) =>
        call.body.mode === "asynchronous" ? json(202, { operationId: "op7" }) : json(500, {}),
      {
        op7: [
          { id: "op7", status: "in_progress", records: [] },
          {
            id: "op7",
            status: "success",
            records: [
              { index: 0, status: "success" },
              { index: 1, status: "success" },
            ],
          },
        ],
      },
    );
    const summary = await writeRecords(
      options(api.fetchImpl, contacts(2), { mode: "asynchronous" }),
    );
    expect(summary).toMatchObject({ succeeded: 2, failed: 0, accepted: 0, operationIds: ["op7"] });
  });

  it("counts records as accepted when their operation cannot be followed", async () => {
    const api = fakeApi(() => json(202, { operationId: "gone" }));
    const summary = await writeRecords(
      options(api.fetchImpl, contacts(2), { mode: "asynchronous" }),
    );
    expect(summary).toMatchObject({
      sent: 2,
      accepted: 2,
      succeeded: 0,
      failed: 0,
      operationIds: ["gone"],
    });
    expect(summary.stoppedBy).toBeUndefined();
  });

  it("counts asynchronous records as accepted when not waiting", async () => {
    const api = fakeApi(() => json(202, { operationId: "op8" }));
    const summary = await writeRecords(
      options(api.fetchImpl, contacts(4), { mode: "asynchronous", waitForOutcome: false }),
    );
    expect(summary).toMatchObject({ sent: 4, accepted: 4, succeeded: 0, failed: 0 });
  });

  it("sends single-record bodies when the batch size is 1", async () => {
    const api = fakeApi(() =>
      json(422, {
        operationId: "op",
        errors: [{ message: "Contact already exists" }],
        result: { success: false },
      }),
    );
    const summary = await writeRecords(options(api.fetchImpl, contacts(1), { batchSize: 1 }));
    expect(api.writes[0]?.body.record).toEqual({ email: "c0@example.com" });
    expect(api.writes[0]?.body.batch).toBeUndefined();
    expect(summary.failures).toEqual([
      { line: 1, message: "Contact already exists", operationId: "op" },
    ]);
  });

  it("stops reading when interrupted", async () => {
    const controller = new AbortController();
    const api = fakeApi((call) => {
      controller.abort();
      return batchOk(call, "op");
    });
    const summary = await writeRecords(
      options(api.fetchImpl, contacts(20), {
        batchSize: 2,
        concurrency: 1,
        signal: controller.signal,
      }),
    );
    expect(summary.interrupted).toBe(true);
    expect(api.writes).toHaveLength(1);
    expect(summary.succeeded).toBe(2);
  });
});

describe("request error classification", () => {
  const problem = (status: number, extra: Record<string, unknown> = {}) =>
    new WritApiError({ type: "t", title: "t", status, detail: "d", ...extra });

  it("retries what is safe to ask again", () => {
    expect(isRetryable(problem(503))).toBe(true);
    expect(isRetryable(problem(429))).toBe(true);
    expect(isRetryable(problem(409, { retryable: true }))).toBe(true);
    expect(isRetryable(problem(409))).toBe(false);
    expect(isRetryable(problem(400))).toBe(false);
  });

  it("maps batch issues to record indexes only when every issue names one", () => {
    const issues = (names: string[]) =>
      problem(400, { issues: names.map((name) => ({ in: "body", name, detail: `bad ${name}` })) });
    expect(rejectedRecordIndexes(issues(["batch[0].record.id", "batch[2].record"]), 3)).toEqual(
      new Map([
        [0, "bad batch[0].record.id"],
        [2, "bad batch[2].record"],
      ]),
    );
    expect(rejectedRecordIndexes(issues(["batch[0].record.id", "groupRef"]), 3)).toBeUndefined();
    expect(rejectedRecordIndexes(issues(["batch[5].record.id"]), 3)).toBeUndefined();
    expect(rejectedRecordIndexes(problem(400), 3)).toBeUndefined();
  });
});
