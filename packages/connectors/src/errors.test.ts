import { describe, expect, it } from "vitest";
import { classifyNetworkError, ProviderError, parseRetryAfterMs } from "./errors";
import { sendHttp } from "./providerHttp";

describe("classifyNetworkError", () => {
  it("retries a refused connection and names its code", () => {
    const error = classifyNetworkError(
      new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
          code: "ECONNREFUSED",
        }),
      }),
    );
    expect(error.disposition).toBe("retry");
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.providerMessage).toContain("ECONNREFUSED");
  });

  it("retries a reset connection", () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(classifyNetworkError(reset).code).toBe("ECONNRESET");
    expect(classifyNetworkError(reset).disposition).toBe("retry");
  });

  it("retries a timeout", () => {
    const error = classifyNetworkError(
      new DOMException("The operation timed out.", "TimeoutError"),
    );
    expect(error.disposition).toBe("retry");
    expect(error.code).toBe("TIMEOUT");
  });

  it("passes a ProviderError through unchanged", () => {
    const original = new ProviderError({ disposition: "permanent", providerMessage: "no" });
    expect(classifyNetworkError(original)).toBe(original);
  });
});

describe("sendHttp", () => {
  it("turns a request that outlives its timeout into a retryable TIMEOUT", async () => {
    const hangingFetch: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const failure = await sendHttp({
      url: "http://example.invalid/",
      method: "GET",
      headers: {},
      fetch: hangingFetch,
      timeoutMs: 20,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).disposition).toBe("retry");
    expect((failure as ProviderError).code).toBe("TIMEOUT");
  });

  it("returns HTTP errors instead of throwing, with the body parsed", async () => {
    const answer: typeof fetch = async () =>
      new Response(JSON.stringify([{ errorCode: "NOT_FOUND" }]), { status: 404 });
    const response = await sendHttp({
      url: "http://x/",
      method: "GET",
      headers: {},
      fetch: answer,
    });
    expect(response.status).toBe(404);
    expect(response.body).toEqual([{ errorCode: "NOT_FOUND" }]);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads seconds, fractions and dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterMs(new Headers({ "Retry-After": "2" }), now)).toBe(2_000);
    expect(parseRetryAfterMs(new Headers({ "Retry-After": "0.5" }), now)).toBe(500);
    expect(
      parseRetryAfterMs(new Headers({ "Retry-After": "Thu, 01 Jan 2026 00:00:09 GMT" }), now),
    ).toBe(9_000);
    expect(parseRetryAfterMs(new Headers({ "Retry-After": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), now)).toBeUndefined();
  });
});
