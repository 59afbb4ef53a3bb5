import { describe, expect, it } from "vitest";
import { DailyAllowance, RollingWindow } from "./rateWindow";

describe("RollingWindow", () => {
  it("admits up to the limit inside the window and frees slots as calls age out", () => {
    const window = new RollingWindow(3, 1000);
    expect(window.tryAcquire(0)).toBe(true);
    expect(window.tryAcquire(100)).toBe(true);
    expect(window.tryAcquire(200)).toBe(true);
    expect(window.tryAcquire(300)).toBe(false);
    expect(window.remaining(300)).toBe(0);
    expect(window.msUntilFree(300)).toBe(700);
    // The call at 0 leaves the window at 1000; only one slot frees, not the whole window.
    expect(window.tryAcquire(1000)).toBe(true);
    expect(window.tryAcquire(1001)).toBe(false);
    expect(window.remaining(1100)).toBe(1);
  });

  it("does not count rejected calls against the window", () => {
    const window = new RollingWindow(1, 1000);
    expect(window.tryAcquire(0)).toBe(true);
    for (let t = 1; t < 1000; t += 100) expect(window.tryAcquire(t)).toBe(false);
    expect(window.tryAcquire(1000)).toBe(true);
  });

  it("stays correct across internal compaction under steady traffic", () => {
    const window = new RollingWindow(10, 100);
    let admitted = 0;
    for (let t = 0; t < 10_000; t++) if (window.tryAcquire(t)) admitted++;
    // 10 per 100 ms over 10 s is 1000 calls.
    expect(admitted).toBe(1000);
  });
});

describe("DailyAllowance", () => {
  it("refuses past the limit and starts over 24 hours after the first call", () => {
    const daily = new DailyAllowance(2);
    expect(daily.tryAcquire(0)).toBe(true);
    expect(daily.tryAcquire(1)).toBe(true);
    expect(daily.tryAcquire(2)).toBe(false);
    expect(daily.used(2)).toBe(2);
    const nextDay = 24 * 60 * 60 * 1000;
    expect(daily.tryAcquire(nextDay)).toBe(true);
    expect(daily.used(nextDay)).toBe(1);
  });
});
