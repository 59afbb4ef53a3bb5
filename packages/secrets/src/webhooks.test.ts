import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signWebhook, verifyWebhookSignature } from "./webhooks";

const secret = "whsec_test";
const timestamp = 1_733_241_600;
const body = '{"operationId":"op_1","status":"success"}';

describe("signWebhook", () => {
  it("is the hex HMAC-SHA256 of timestamp.body", () => {
    const expected = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
    expect(signWebhook(secret, timestamp, body)).toBe(expected);
  });

  it("rejects a timestamp that is not whole seconds", () => {
    expect(() => signWebhook(secret, 1.5, body)).toThrow(TypeError);
  });
});

describe("verifyWebhookSignature", () => {
  const signature = signWebhook(secret, timestamp, body);

  it("accepts the signature it made", () => {
    expect(verifyWebhookSignature(secret, timestamp, body, signature)).toBe(true);
  });

  it.each([
    ["another secret", "whsec_other", timestamp, body],
    ["another timestamp", secret, timestamp + 1, body],
    ["another body", secret, timestamp, `${body} `],
  ])("rejects it under %s", (_label, otherSecret, otherTimestamp, otherBody) => {
    expect(verifyWebhookSignature(otherSecret, otherTimestamp, otherBody, signature)).toBe(false);
  });

  it("rejects a wrong signature of the right length", () => {
    const flipped = `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`;
    expect(verifyWebhookSignature(secret, timestamp, body, flipped)).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["truncated", signature.slice(0, 63)],
    ["extended", `${signature}0`],
    ["upper-cased", signature.toUpperCase()],
  ])("rejects a signature that is %s", (_label, given) => {
    expect(verifyWebhookSignature(secret, timestamp, body, given)).toBe(false);
  });

  it("rejects a non-integer timestamp instead of throwing", () => {
    expect(verifyWebhookSignature(secret, Number.NaN, body, signature)).toBe(false);
  });
});

describe("generateWebhookSecret", () => {
  it("makes distinct whsec_ secrets of 32 random bytes", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
