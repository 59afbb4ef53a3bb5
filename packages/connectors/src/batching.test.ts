import { describe, expect, it } from "vitest";
import { planBatchCalls, runBatchCalls, writeInBatchCalls } from "./batching";
import type { RecordOutcome } from "./connector";
import { ProviderError } from "./errors";

const ok = (id: string): RecordOutcome => ({ ok: true, recordId: id });
const rateLimited = new ProviderError({
  disposition: "rate_limited",
  retryAfterMs: 1_000,
  providerMessage: "slow down",
});

describe("planBatchCalls", () => {
  it("splits into calls of at most the batch size, in order", () => {
    expect(planBatchCalls(new Array(5).fill(undefined), 2)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it("puts repeated ids in later calls, keeping their order", () => {
    expect(planBatchCalls(["a", "b", "a", "c", "a"], 3)).toEqual([[0, 1, 3], [2], [4]]);
  });

  it("fills earlier calls with other ids after a repeat", () => {
    expect(planBatchCalls(["a", "a", "b", "c"], 2)).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });
});

describe("runBatchCalls", () => {
  it("assembles outcomes in input order across calls", async () => {
    const result = await runBatchCalls(3, [[0, 2], [1]], async (indices) => ({
      outcomes: indices.map((i) => ok(`id-${i}`)),
      limits: { remaining: indices.length },
    }));
    expect(result.outcomes.map((o) => o.ok && o.recordId)).toEqual(["id-0", "id-1", "id-2"]);
    expect(result.limits).toEqual({ remaining: 1 });
  });

  it("throws a call failure when nothing was written yet", async () => {
    await expect(
      runBatchCalls(2, [[0], [1]], async () => {
        throw rateLimited;
      }),
    ).rejects.toBe(rateLimited);
  });

  it("reports a later call failure per record so written records are not retried", async () => {
    let call = 0;
    const result = await runBatchCalls(3, [[0], [1], [2]], async (indices) => {
      call++;
      if (call === 2) throw rateLimited;
      return { outcomes: indices.map((i) => ok(`id-${i}`)) };
    });
    expect(call).toBe(2);
    expect(result.outcomes[0]).toEqual(ok("id-0"));
    expect(result.outcomes[1]).toEqual({ ok: false, error: rateLimited });
    expect(result.outcomes[2]).toEqual({ ok: false, error: rateLimited });
  });

  it("fails only its own records on a permanent call failure and carries on", async () => {
    const forbidden = new ProviderError({ disposition: "permanent", providerMessage: "no" });
    const result = await runBatchCalls(2, [[0], [1]], async (indices) => {
      if (indices[0] === 0) throw forbidden;
      return { outcomes: [ok("id-1")] };
    });
    expect(result.outcomes).toEqual([{ ok: false, error: forbidden }, ok("id-1")]);
  });
});

describe("writeInBatchCalls", () => {
  it("fails updates without a record id on their own and sends the rest", async () => {
    const sent: string[][] = [];
    const result = await writeInBatchCalls(
      "hubspot",
      "update",
      [{ fields: {}, recordId: "1" }, { fields: {} }, { fields: {}, recordId: "3" }],
      100,
      async (inputs) => {
        sent.push(inputs.map((input) => input.recordId ?? "?"));
        return { outcomes: inputs.map((input) => ok(input.recordId ?? "?")) };
      },
    );
    expect(sent).toEqual([["1", "3"]]);
    expect(result.outcomes[0]).toEqual(ok("1"));
    expect(result.outcomes[1]?.ok === false && result.outcomes[1].error.code).toBe(
      "MISSING_RECORD_ID",
    );
    expect(result.outcomes[2]).toEqual(ok("3"));
  });

  it("sends nothing from an all-or-none batch with an invalid record", async () => {
    let calls = 0;
    const result = await writeInBatchCalls(
      "salesforce",
      "update",
      [{ fields: {}, recordId: "1" }, { fields: {} }],
      200,
      async () => {
        calls++;
        return { outcomes: [] };
      },
      { allOrNone: true },
    );
    expect(calls).toBe(0);
    expect(result.outcomes.map((o) => !o.ok && o.error.code)).toEqual([
      "NOT_SENT",
      "MISSING_RECORD_ID",
    ]);
  });
});
