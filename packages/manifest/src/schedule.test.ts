import { describe, expect, it } from "vitest";
import { checkSchedule } from "./schedule";

describe("checkSchedule", () => {
  it.each([
    "*/10 * * * *",
    "0 * * * *",
    "0,30 * * * *",
    "5,15,25,35,45,55 * * * *",
    "0 0 * * *",
    "0 9-17 * * 1-5",
    "0 0 1 1 *",
    "0 0 29 2 *",
    "30 2 * jan,jul mon",
    // 23:55 and 00:00 are 5 minutes apart only across midnight, and Monday is never followed by
    // another scheduled day.
    "0,55 0,23 * * 1",
  ])("accepts %s at a 10-minute minimum", (expression) => {
    expect(checkSchedule(expression, 10)).toEqual({ ok: true });
  });

  it.each([
    ["*/5 * * * *", 5],
    ["* * * * *", 1],
    // :56 then :00 of the next hour.
    ["*/7 * * * *", 4],
    ["0,9 * * * *", 9],
    // 00:55 then 01:00: closest across the hour, not within it.
    ["0,55 * * * *", 5],
    ["50,58 3 * * *", 8],
    // 23:55 then 00:00 the next day.
    ["0,55 0,23 * * *", 5],
    // Monday 23:55 then Tuesday 00:00.
    ["0,55 0,23 * * 1,2", 5],
    // Day of month or day of week: the 31st and the Monday after it (or before it) sit side by side.
    ["0,55 0,23 31 * 1", 5],
  ])("rejects %s: runs %i minutes apart", (expression, gapMinutes) => {
    expect(checkSchedule(expression, 10)).toEqual({
      ok: false,
      reason: "too-frequent",
      gapMinutes,
    });
  });

  it("applies the minimum it is given", () => {
    expect(checkSchedule("*/30 * * * *", 60)).toEqual({
      ok: false,
      reason: "too-frequent",
      gapMinutes: 30,
    });
    expect(checkSchedule("0 */6 * * *", 60)).toEqual({ ok: true });
  });

  it.each([
    ["@hourly", /expected 5 fields/],
    ["0 0 * * * *", /expected 5 fields .* got 6/],
    ["* * *", /got 3/],
    ["61 * * * *", /61/],
    ["every hour", /expected 5 fields/],
    ["abc * * * *", /Invalid characters/],
    ["*/0 * * * *", /0/],
    ["0 0 30 2 *", /day of month/],
  ])("rejects %s as invalid", (expression, detail) => {
    const check = checkSchedule(expression, 10);
    expect(check).toMatchObject({ ok: false, reason: "invalid" });
    expect(check.ok === false && check.reason === "invalid" ? check.detail : "").toMatch(detail);
  });
});
