import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey } from "./apiKeys";

describe("generateApiKey", () => {
  it("makes a writ_ key of 43 base62 characters, with its 12-character prefix and hash", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^writ_[0-9A-Za-z]{43}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(hash).toBe(hashApiKey(key));
  });

  it("never repeats a key", () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    expect(keys.size).toBe(200);
  });

  it("uses the whole base62 alphabet", () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateApiKey().key.slice(5)).join(""));
    expect(seen.size).toBe(62);
  });
});

describe("hashApiKey", () => {
  it("is SHA-256 hex", () => {
    expect(hashApiKey("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("is deterministic, so a presented key finds its stored hash", () => {
    const { key, hash } = generateApiKey();
    expect(hashApiKey(key)).toBe(hash);
    expect(hashApiKey(key)).toBe(hashApiKey(key));
  });

  it("differs for keys that differ by one character", () => {
    expect(hashApiKey("writ_abc")).not.toBe(hashApiKey("writ_abd"));
  });
});
