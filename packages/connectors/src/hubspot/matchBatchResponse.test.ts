import { describe, expect, it } from "vitest";
import { matchBatchResponse } from "./hubSpotConnector";

const inputs = [
  { fields: { email: "a@example.com" } },
  { fields: { email: "not-an-email" } },
  { fields: { email: "c@example.com" } },
];

describe("matchBatchResponse", () => {
  it("maps a 207 answer back by objectWriteTraceId, whatever the order", () => {
    const outcomes = matchBatchResponse(
      {
        results: [
          { id: "303", objectWriteTraceId: "2", properties: { email: "c@example.com" } },
          { id: "101", objectWriteTraceId: "0", properties: { email: "a@example.com" } },
        ],
        errors: [
          {
            status: "error",
            category: "VALIDATION_ERROR",
            message: "Property values were not valid",
            context: { objectWriteTraceId: ["1"] },
          },
        ],
      },
      inputs,
    );
    expect(outcomes[0]).toMatchObject({ ok: true, recordId: "101" });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { disposition: "permanent", code: "VALIDATION_ERROR" },
    });
    expect(outcomes[2]).toMatchObject({ ok: true, recordId: "303" });
  });

  it("places results without trace ids in order over the inputs left", () => {
    const outcomes = matchBatchResponse(
      {
        results: [{ id: "101" }, { id: "303" }],
        errors: [{ category: "CONFLICT", message: "exists", context: { objectWriteTraceId: "1" } }],
      },
      inputs,
    );
    expect(outcomes.map((o) => (o.ok ? o.recordId : o.error.code))).toEqual([
      "101",
      "CONFLICT",
      "303",
    ]);
  });

  it("maps update errors by record id", () => {
    const outcomes = matchBatchResponse(
      {
        results: [{ id: "1", properties: {} }],
        errors: [{ category: "OBJECT_NOT_FOUND", message: "gone", context: { ids: ["2"] } }],
      },
      [
        { fields: {}, recordId: "1" },
        { fields: {}, recordId: "2" },
      ],
    );
    expect(outcomes.map((o) => (o.ok ? o.recordId : o.error.code))).toEqual([
      "1",
      "OBJECT_NOT_FOUND",
    ]);
  });

  it("reports inputs the answer never mentions", () => {
    const outcomes = matchBatchResponse({ results: [{ id: "101" }] }, inputs.slice(0, 2));
    expect(outcomes[1]).toMatchObject({ ok: false, error: { code: "MISSING_FROM_RESPONSE" } });
  });
});
