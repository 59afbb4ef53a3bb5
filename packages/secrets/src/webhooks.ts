import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures: hex HMAC-SHA256, keyed by the webhook secret, over `${timestamp}.${body}`.
 * Signing the timestamp with the body lets a receiver reject replays of old deliveries by
 * checking the timestamp's age (Unix seconds) after the signature verifies.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  if (!Number.isSafeInteger(timestamp)) {
    throw new TypeError("signWebhook: timestamp must be an integer number of Unix seconds");
  }
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** Constant-time in the signature's contents; a signature of the wrong length is simply false. */
export function verifyWebhookSignature(
  secret: string,
  timestamp: number,
  body: string,
  signature: string,
): boolean {
  if (!Number.isSafeInteger(timestamp)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body), "utf8");
  const given = Buffer.from(signature, "utf8");
  // timingSafeEqual throws on unequal lengths; the length of a hex digest is public anyway.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `whsec_` and 32 random bytes as base64url; the whole string is the HMAC key. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}
