import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { decryptJson, encryptJson, generateEncryptionKey, parseEncryptionKey } from "./encryption";

const key = parseEncryptionKey(generateEncryptionKey());
const credentials = {
  accessToken: "ya29.super-secret-token",
  refreshToken: "1//refresh",
  expiresIn: 3600,
};

describe("parseEncryptionKey", () => {
  const bytes = Buffer.alloc(32, 7);

  it("reads base64 and hex forms of the same key interchangeably", () => {
    const fromBase64 = parseEncryptionKey(bytes.toString("base64"));
    const fromHex = parseEncryptionKey(bytes.toString("hex"));
    expect(decryptJson(fromHex, encryptJson(fromBase64, "x"))).toBe("x");
  });

  it("accepts upper-case hex and ignores surrounding whitespace", () => {
    const upper = parseEncryptionKey(` ${bytes.toString("hex").toUpperCase()}\n`);
    const base64 = parseEncryptionKey(bytes.toString("base64"));
    expect(decryptJson(upper, encryptJson(base64, 1))).toBe(1);
  });

  it("accepts what generateEncryptionKey produces, and each call differs", () => {
    const a = generateEncryptionKey();
    expect(a).toHaveLength(44);
    expect(generateEncryptionKey()).not.toBe(a);
  });

  it.each([
    ["empty", ""],
    ["16 bytes of base64", Buffer.alloc(16).toString("base64")],
    ["33 bytes of base64", Buffer.alloc(33).toString("base64")],
    ["31 bytes of hex", Buffer.alloc(31).toString("hex")],
    ["33 bytes of hex", Buffer.alloc(33).toString("hex")],
    ["base64url", Buffer.alloc(32, 0xfb).toString("base64url")],
    ["64 non-hex characters", "z".repeat(64)],
    ["a passphrase", "correct horse battery staple"],
  ])("rejects %s without echoing it", (_label, value) => {
    let message = "";
    try {
      parseEncryptionKey(value);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^WRIT_ENCRYPTION_KEY must be 32 bytes, base64 or hex/);
    if (value !== "") expect(message).not.toContain(value);
  });

  it("never prints the key", () => {
    const secretHex = "ab".repeat(32);
    const parsed = parseEncryptionKey(secretHex);
    for (const printed of [String(parsed), JSON.stringify({ parsed }), inspect(parsed)]) {
      expect(printed).toContain("[EncryptionKey]");
      expect(printed).not.toContain("abab");
    }
  });
});

describe("encryptJson / decryptJson", () => {
  it("round-trips JSON values", () => {
    for (const value of [credentials, "text", 0, false, null, [1, { a: "é😀" }]]) {
      expect(decryptJson(key, encryptJson(key, value))).toEqual(value);
    }
  });

  it("lays out version, IV, ciphertext and tag", () => {
    const plaintextLength = Buffer.byteLength(JSON.stringify(credentials));
    const blob = encryptJson(key, credentials);
    expect(blob[0]).toBe(1);
    expect(blob.length).toBe(1 + 12 + plaintextLength + 16);
  });

  it("does not contain the plaintext", () => {
    const blob = encryptJson(key, credentials);
    expect(blob.includes(Buffer.from(credentials.accessToken))).toBe(false);
    expect(blob.toString("latin1")).not.toContain("accessToken");
  });

  it("encrypts the same value differently each time", () => {
    const a = encryptJson(key, credentials);
    const b = encryptJson(key, credentials);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
  });

  it("fails with another key, saying nothing about the contents", () => {
    const other = parseEncryptionKey(generateEncryptionKey());
    const blob = encryptJson(key, credentials);
    expect(() => decryptJson(other, blob)).toThrow(
      "cannot decrypt: wrong encryption key, or the encrypted value was altered",
    );
  });

  it.each([
    ["the IV", 5],
    ["the ciphertext", 20],
    ["the tag", -1],
  ])("fails when a byte of %s is flipped", (_label, offset) => {
    const blob = encryptJson(key, credentials);
    const index = offset < 0 ? blob.length + offset : offset;
    blob[index] = (blob[index] ?? 0) ^ 0x01;
    expect(() => decryptJson(key, blob)).toThrow(/^cannot decrypt: wrong encryption key/);
  });

  it("rejects an unknown version byte", () => {
    const blob = encryptJson(key, credentials);
    blob[0] = 2;
    expect(() => decryptJson(key, blob)).toThrow(
      "cannot decrypt: unknown encryption format version 2",
    );
  });

  it("rejects a truncated blob", () => {
    expect(() => decryptJson(key, encryptJson(key, "x").subarray(0, 28))).toThrow(
      "cannot decrypt: the encrypted value is truncated",
    );
  });

  it("decrypts a blob that sits inside a larger buffer", () => {
    const blob = encryptJson(key, credentials);
    const padded = new Uint8Array(blob.length + 10);
    padded.set(blob, 5);
    expect(decryptJson(key, padded.subarray(5, 5 + blob.length))).toEqual(credentials);
  });

  it("tries each key of a keyring, so old blobs still open during a rotation", () => {
    const oldKey = parseEncryptionKey(generateEncryptionKey());
    const newKey = parseEncryptionKey(generateEncryptionKey());
    const sealedBefore = encryptJson(oldKey, credentials);
    expect(decryptJson([newKey, oldKey], sealedBefore)).toEqual(credentials);
    expect(() => decryptJson([newKey], sealedBefore)).toThrow(/wrong encryption key/);
  });

  it("still opens a version 1 blob sealed by an earlier release", () => {
    // Stored credentials outlive releases: this fixed blob pins the layout and the
    // authenticated version byte.
    const fixedKey = parseEncryptionKey("00".repeat(16) + "ff".repeat(16));
    const sealed = Buffer.from(
      "AX2VswyqhOWJ6sf5PlZp86PJMXvqXaxAXzE7R2EluM1UjcPIYAKWYV2L1WeMj5P3gaBSUB4=",
      "base64",
    );
    expect(decryptJson(fixedKey, sealed)).toEqual({ apiKey: "pat-na1-123" });
  });

  it("refuses values without a JSON form", () => {
    expect(() => encryptJson(key, undefined)).toThrow(TypeError);
  });
});
