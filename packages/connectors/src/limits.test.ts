import { describe, expect, it } from "vitest";
import { parseHubSpotLimits } from "./hubspot/limits";
import { parseSalesforceLimits } from "./salesforce/limits";

describe("parseHubSpotLimits", () => {
  it("reads the rolling window and the daily allocation", () => {
    const limits = parseHubSpotLimits(
      new Headers({
        "X-HubSpot-RateLimit-Max": "190",
        "X-HubSpot-RateLimit-Remaining": "187",
        "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
        "X-HubSpot-RateLimit-Daily": "1000000",
        "X-HubSpot-RateLimit-Daily-Remaining": "999000",
      }),
    );
    expect(limits).toEqual({
      max: 190,
      remaining: 187,
      intervalMs: 10_000,
      dailyLimit: 1_000_000,
      dailyUsed: 1_000,
    });
  });

  it("leaves out what is missing or not a number", () => {
    const limits = parseHubSpotLimits(
      new Headers({ "X-HubSpot-RateLimit-Remaining": "4", "X-HubSpot-RateLimit-Max": "lots" }),
    );
    expect(limits).toEqual({ remaining: 4 });
  });

  it("is undefined without rate-limit headers", () => {
    expect(parseHubSpotLimits(new Headers({ "Content-Type": "application/json" }))).toBeUndefined();
  });
});

describe("parseSalesforceLimits", () => {
  it("reads api-usage", () => {
    expect(
      parseSalesforceLimits(new Headers({ "Sforce-Limit-Info": "api-usage=25/15000" })),
    ).toEqual({ dailyUsed: 25, dailyLimit: 15_000 });
  });

  it("reads the org figure when per-app usage follows", () => {
    const headers = new Headers({
      "Sforce-Limit-Info": "api-usage=18/5000, per-app-api-usage=17/250(appName=sample-app)",
    });
    expect(parseSalesforceLimits(headers)).toEqual({ dailyUsed: 18, dailyLimit: 5_000 });
  });

  it("does not mistake per-app usage for the org figure", () => {
    const headers = new Headers({ "Sforce-Limit-Info": "per-app-api-usage=17/250(appName=x)" });
    expect(parseSalesforceLimits(headers)).toBeUndefined();
  });

  it("is undefined without the header", () => {
    expect(parseSalesforceLimits(new Headers())).toBeUndefined();
  });
});
