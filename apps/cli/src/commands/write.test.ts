import { describe, expect, it } from "vitest";
import type { WriteRunSummary } from "../write/writeRecords";
import { formatWriteSummary } from "./write";

const base: WriteRunSummary = {
  read: 250,
  sent: 250,
  succeeded: 248,
  failed: 2,
  accepted: 0,
  operationIds: ["a", "b", "c"],
  failures: [
    { line: 17, message: "Email address x is invalid", operationId: "a" },
    { line: 200, message: "not valid JSON (Unexpected token)" },
  ],
  elapsedMs: 2500,
  interrupted: false,
};

describe("formatWriteSummary", () => {
  it("gives the counts, the rate and every failure with its line", () => {
    expect(formatWriteSummary(base, 10)).toBe(
      [
        "Done: 250 records in 3 operations, 248 ok, 2 failed (2.5s, 100 records/s)",
        "Failures:",
        "  line 17: Email address x is invalid (operation a)",
        "  line 200: not valid JSON (Unexpected token)",
      ].join("\n"),
    );
  });

  it("lists the first failures only, and says what was read but not sent", () => {
    const summary = { ...base, read: 300, interrupted: true };
    expect(formatWriteSummary(summary, 1).split("\n")).toEqual([
      "Interrupted: 300 records in 3 operations, 248 ok, 2 failed (2.5s, 100 records/s)",
      "50 records read but not sent",
      "First 1 of 2 failures:",
      "  line 17: Email address x is invalid (operation a)",
    ]);
  });

  it("counts records accepted without waiting apart", () => {
    const summary = { ...base, succeeded: 0, failed: 0, failures: [], accepted: 250 };
    expect(formatWriteSummary(summary, 10)).toBe(
      "Done: 250 records in 3 operations, 0 ok, 0 failed, 250 accepted (outcome not awaited) (2.5s, 100 records/s)",
    );
  });
});
