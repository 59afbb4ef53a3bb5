import { createHash, randomBytes } from "node:crypto";

const API_KEY_PREFIX = "writ_";
/** 43 base62 characters carry about 256 bits, the same as the encryption key. */
const API_KEY_RANDOM_CHARS = 43;
/** Enough to tell keys apart in a list ("writ_" + 7 characters) while revealing nothing usable. */
const DISPLAY_PREFIX_CHARS = 12;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export interface GeneratedApiKey {
  /** Shown to the user once, then forgotten: only `hash` is stored. */
  key: string;
  /** The first 12 characters, stored in the clear to label the key in lists and logs. */
  prefix: string;
  hash: string;
}

/**
 * A new project API key: `writ_` and 43 random base62 characters. Base62 keeps the key one
 * "word", so a double-click selects all of it and no URL or shell escaping is ever needed.
 */
export function generateApiKey(): GeneratedApiKey {
  const key = API_KEY_PREFIX + randomBase62(API_KEY_RANDOM_CHARS);
  return { key, prefix: key.slice(0, DISPLAY_PREFIX_CHARS), hash: hashApiKey(key) };
}

/**
 * SHA-256 hex of the key, the form stored and looked up. A slow, salted password hash (scrypt,
 * argon2) exists to make guessing low-entropy human passwords expensive; these keys are 256
 * random bits, so guessing is hopeless at any speed. A fast unsalted hash keeps every request's
 * authentication to one indexed lookup instead of a deliberate 50-100 ms of CPU.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Uniform base62: bytes of 248 and above are rejected, since 248 = 4 × 62 divides evenly. */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue;
      out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}
