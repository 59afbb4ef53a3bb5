import { describe, expect, it } from "vitest";
import { ProgressReporter, renderProgressLine } from "./progressBar";

function collector(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) }, writes };
}

describe("renderProgressLine", () => {
  it("draws the bar, the count, the percentage, the rate and the failures", () => {
    expect(
      renderProgressLine({ done: 120, total: 240, failed: 2, elapsedMs: 4000, detail: "sent 200" }),
    ).toBe("[############............]  120/240  50%  30 records/s  2 failed  sent 200");
  });

  it("leaves the bar out when the total is unknown", () => {
    expect(renderProgressLine({ done: 10, failed: 0, elapsedMs: 0 })).toBe(
      "10 done  0 records/s  0 failed",
    );
  });

  it("never overflows when more finish than were counted", () => {
    expect(renderProgressLine({ done: 12, total: 10, failed: 0, elapsedMs: 1000 })).toBe(
      `[${"#".repeat(24)}]  12/12  100%  12 records/s  0 failed`,
    );
  });
});

describe("ProgressReporter", () => {
  it("prints plain lines no more often than its interval when not on a terminal", () => {
    let now = 0;
    const { stream, writes } = collector(false);
    const reporter = new ProgressReporter(stream, { now: () => now, lineEveryMs: 5000 });
    reporter.update({ done: 1, total: 10, failed: 0, elapsedMs: 1000 });
    now = 1000;
    reporter.update({ done: 2, total: 10, failed: 0, elapsedMs: 2000 });
    now = 6000;
    reporter.update({ done: 6, total: 10, failed: 1, elapsedMs: 6000 });
    reporter.finish({ done: 10, total: 10, failed: 1, elapsedMs: 10_000 });
    expect(writes).toEqual([
      "[##......................]  1/10  10%  1 records/s  0 failed\n",
      "[##############..........]  6/10  60%  1 records/s  1 failed\n",
      `[${"#".repeat(24)}]  10/10  100%  1 records/s  1 failed\n`,
    ]);
    expect(writes.join("")).not.toContain("\r");
  });

  it("redraws in place on a terminal and ends the line when finished", () => {
    const { stream, writes } = collector(true);
    const reporter = new ProgressReporter(stream, { now: () => 0 });
    reporter.update({ done: 1, failed: 0, elapsedMs: 1000 });
    reporter.finish({ done: 2, failed: 0, elapsedMs: 1000 });
    reporter.update({ done: 3, failed: 0, elapsedMs: 1000 });
    expect(writes).toEqual([
      "\r1 done  1 records/s  0 failed\x1b[K",
      "\r2 done  2 records/s  0 failed\x1b[K\n",
    ]);
  });
});
