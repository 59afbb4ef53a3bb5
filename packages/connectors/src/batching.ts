import type { ProviderName } from "@writ/contracts";
import type { BatchInput, BatchResult, RecordOutcome } from "./connector";
import { ProviderError } from "./errors";
import type { LimitInfo } from "./limits";

/**
 * Splits input positions into provider calls of at most `maxSize`. Two inputs with the same key
 * (the same record id in an update) never share a call: both providers reject duplicate ids in
 * one batch, and the second update must land after the first. Order within a key is kept.
 */
export function planBatchCalls(
  keys: ReadonlyArray<string | undefined>,
  maxSize: number,
): number[][] {
  const calls: number[][] = [];
  // Last call holding each key, so a repeat goes into a later call.
  const lastCallOfKey = new Map<string, number>();
  let firstCallWithRoom = 0;
  keys.forEach((key, index) => {
    let target = key === undefined ? firstCallWithRoom : (lastCallOfKey.get(key) ?? -1) + 1;
    target = Math.max(target, firstCallWithRoom);
    while (target < calls.length && (calls[target]?.length ?? 0) >= maxSize) target++;
    if (target === calls.length) calls.push([]);
    calls[target]!.push(index);
    if (key !== undefined) lastCallOfKey.set(key, target);
    while ((calls[firstCallWithRoom]?.length ?? 0) >= maxSize) firstCallWithRoom++;
  });
  return calls;
}

export interface CallResult {
  /** One per index of the call, same order. */
  outcomes: RecordOutcome[];
  limits?: LimitInfo;
}

/**
 * Sends the planned calls one after another and assembles outcomes in input order.
 * A call that fails as a whole with a permanent error fails just its records. Any other call
 * failure is thrown while nothing has been written yet (the worker can safely retry the whole
 * batch); after that, it is reported on every record not yet written, so records that did get
 * written are not written twice.
 */
export async function runBatchCalls(
  total: number,
  calls: number[][],
  send: (indices: number[]) => Promise<CallResult>,
): Promise<BatchResult> {
  const outcomes: Array<RecordOutcome | undefined> = new Array(total).fill(undefined);
  let limits: LimitInfo | undefined;
  let written = false;
  for (const [callIndex, indices] of calls.entries()) {
    try {
      const result = await send(indices);
      if (result.limits) limits = result.limits;
      indices.forEach((inputIndex, position) => {
        const outcome = result.outcomes[position] ?? missingOutcome();
        outcomes[inputIndex] = outcome;
        if (outcome.ok) written = true;
      });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.limits) limits = error.limits;
      if (error.disposition === "permanent") {
        for (const inputIndex of indices) outcomes[inputIndex] = { ok: false, error };
        continue;
      }
      if (!written) throw error;
      for (const rest of calls.slice(callIndex)) {
        for (const inputIndex of rest) outcomes[inputIndex] = { ok: false, error };
      }
      break;
    }
  }
  return {
    outcomes: outcomes.map((outcome) => outcome ?? missingOutcome()),
    ...(limits && { limits }),
  };
}

/**
 * The common frame of `writeBatch`: updates without a record id fail on their own, the rest is
 * planned into calls of at most `maxBatchSize` and sent with `sendCall`, and the outcomes come
 * back in input order.
 */
export async function writeInBatchCalls(
  provider: ProviderName,
  type: "create" | "update",
  inputs: BatchInput[],
  maxBatchSize: number,
  sendCall: (callInputs: BatchInput[]) => Promise<CallResult>,
  options: { allOrNone?: boolean } = {},
): Promise<BatchResult> {
  const outcomes: Array<RecordOutcome | undefined> = inputs.map((input) =>
    type === "update" && !input.recordId ? missingRecordIdOutcome(provider) : undefined,
  );
  if (options.allOrNone && outcomes.some((outcome) => outcome !== undefined)) {
    // One invalid record sinks an atomic batch before anything is sent, as the provider would.
    return { outcomes: outcomes.map((outcome) => outcome ?? notSentOutcome(provider)) };
  }
  const sendable = inputs.flatMap((input, index) => (outcomes[index] ? [] : [{ input, index }]));
  const calls = planBatchCalls(
    sendable.map(({ input }) => (type === "update" ? input.recordId : undefined)),
    maxBatchSize,
  );
  const result = await runBatchCalls(sendable.length, calls, (positions) =>
    sendCall(positions.map((position) => sendable[position]!.input)),
  );
  result.outcomes.forEach((outcome, position) => {
    outcomes[sendable[position]!.index] = outcome;
  });
  return {
    outcomes: outcomes.map((outcome) => outcome ?? missingOutcome(provider)),
    ...(result.limits && { limits: result.limits }),
  };
}

/**
 * The provider answered the call but did not mention this record. Whether it was written is
 * unknown, so retrying could duplicate it; treat it as permanent and let a person look.
 */
export function missingOutcome(provider?: ProviderName): RecordOutcome {
  return {
    ok: false,
    error: new ProviderError({
      disposition: "permanent",
      ...(provider && { provider }),
      code: "MISSING_FROM_RESPONSE",
      providerMessage: "The provider's batch response did not include a result for this record",
    }),
  };
}

/** Single-record calls: a permanent error is this record's outcome; anything else is thrown. */
export function outcomeFromCallError(error: ProviderError): RecordOutcome {
  if (error.disposition === "permanent") return { ok: false, error };
  throw error;
}

function notSentOutcome(provider: ProviderName): RecordOutcome {
  return {
    ok: false,
    error: new ProviderError({
      disposition: "permanent",
      provider,
      code: "NOT_SENT",
      providerMessage: "Not sent: another record in this all-or-none batch is invalid",
    }),
  };
}

function missingRecordIdOutcome(provider: ProviderName): RecordOutcome {
  return {
    ok: false,
    error: new ProviderError({
      disposition: "permanent",
      provider,
      code: "MISSING_RECORD_ID",
      providerMessage: "An update needs the id of the record to update",
    }),
  };
}
