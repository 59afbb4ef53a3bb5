import { describe, expect, it } from "vitest";
import { ProviderError } from "./errors";
import { classifyHubSpotError } from "./hubspot/classifyHubSpotError";
import { refreshWithRefreshToken } from "./oauth";

const credentials = { refreshToken: "r-1", clientId: "c", clientSecret: "s" };

describe("refreshWithRefreshToken", () => {
  it("retries a transient failure, then returns the new token", async () => {
    let attempts = 0;
    let sentBody = "";
    const fetchImpl: typeof fetch = async (_url, init) => {
      attempts++;
      sentBody = String(init?.body);
      if (attempts === 1) return new Response("upstream down", { status: 503 });
      return Response.json({ access_token: "a-2", refresh_token: "r-2", expires_in: 1800 });
    };
    const before = Date.now();
    const token = await refreshWithRefreshToken(
      "http://token.test",
      credentials,
      classifyHubSpotError,
      {
        fetch: fetchImpl,
      },
    );
    expect(attempts).toBe(2);
    expect(token.accessToken).toBe("a-2");
    expect(token.refreshToken).toBe("r-2");
    expect(token.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 1_800_000);
    expect(new URLSearchParams(sentBody).get("grant_type")).toBe("refresh_token");
    expect(new URLSearchParams(sentBody).get("refresh_token")).toBe("r-1");
  });

  it("does not retry a rejected refresh token", async () => {
    let attempts = 0;
    const fetchImpl: typeof fetch = async () => {
      attempts++;
      return Response.json(
        { status: "BAD_REFRESH_TOKEN", message: "missing or unknown refresh token" },
        { status: 400 },
      );
    };
    const failure = await refreshWithRefreshToken(
      "http://token.test",
      credentials,
      classifyHubSpotError,
      {
        fetch: fetchImpl,
      },
    ).catch((error: unknown) => error);
    expect(attempts).toBe(1);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).disposition).toBe("bad_credentials");
  });
});
