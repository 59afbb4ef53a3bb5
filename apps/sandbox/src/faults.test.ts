import { describe, expect, it } from "vitest";
import { FaultInjector, lockErrorCode } from "./faults";

function draw(injector: FaultInjector, count: number): string[] {
  return Array.from({ length: count }, () => {
    const fault = injector.requestFault();
    if (!fault) return "-";
    return fault.kind === "lock" ? "lock" : String(fault.status);
  });
}

describe("FaultInjector", () => {
  it("repeats the same sequence for the same seed", () => {
    const config = { errorRate: 0.3, statuses: [429, 503], seed: 42 };
    const first = draw(new FaultInjector(config, [500]), 200);
    const second = draw(new FaultInjector(config, [500]), 200);
    expect(second).toEqual(first);
    expect(draw(new FaultInjector({ ...config, seed: 43 }, [500]), 200)).not.toEqual(first);
  });

  it("roughly honours the error rate and uses only the configured statuses", () => {
    const injector = new FaultInjector({ errorRate: 0.2, statuses: [429, 502], seed: 7 }, [500]);
    const drawn = draw(injector, 5000);
    const injected = drawn.filter((outcome) => outcome !== "-");
    expect(injected.length / drawn.length).toBeGreaterThan(0.17);
    expect(injected.length / drawn.length).toBeLessThan(0.23);
    expect(new Set(injected)).toEqual(new Set(["429", "502"]));
  });

  it("falls back to the provider defaults and reports lock codes as locks", () => {
    const injector = new FaultInjector({ errorRate: 1, seed: 1 }, [lockErrorCode]);
    expect(injector.requestFault()).toEqual({ kind: "lock" });
  });

  it("injects nothing without an error rate, and locks records at lockErrorRate", () => {
    const injector = new FaultInjector({ lockErrorRate: 0.5, seed: 3 }, [503]);
    expect(draw(injector, 100).every((outcome) => outcome === "-")).toBe(true);
    const locks = Array.from({ length: 2000 }, () => injector.recordLock()).filter(Boolean).length;
    expect(locks).toBeGreaterThan(900);
    expect(locks).toBeLessThan(1100);
  });
});
