import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Connection credentials at rest: AES-256-GCM over the value's JSON.
 *
 * Blob layout (version 1):
 *
 *   offset 0       1 byte    format version, 0x01
 *   offset 1      12 bytes   random IV (96 bits, GCM's native nonce size)
 *   offset 13      n bytes   ciphertext
 *   offset 13+n   16 bytes   GCM authentication tag
 *
 * The version byte is also authenticated (as additional data), so it cannot be altered to steer
 * decryption. A later format (a key id byte for rotation, say) takes the next version number;
 * meanwhile keys rotate by decrypting with a keyring of old and new keys and re-encrypting.
 * Random 96-bit IVs stay safe for about 2^32 encryptions under one key, far beyond the number
 * of credential writes an installation base sees.
 */

const FORMAT_VERSION = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES;

const keyBytes = new WeakMap<EncryptionKey, Buffer>();

/**
 * A parsed 256-bit key. Its bytes cannot be read back, and it prints as `[EncryptionKey]` so a
 * stray log line or error report never carries it.
 */
export class EncryptionKey {
  private constructor() {}

  /** @internal Use `parseEncryptionKey`. */
  static fromBytes(bytes: Buffer): EncryptionKey {
    const key = new EncryptionKey();
    keyBytes.set(key, Buffer.from(bytes));
    return key;
  }

  toString(): string {
    return "[EncryptionKey]";
  }

  toJSON(): string {
    return "[EncryptionKey]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[EncryptionKey]";
  }
}

const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * Reads a 32-byte key written as base64 (44 characters) or hex (64 characters); surrounding
 * whitespace, such as the newline of a secrets file, is ignored. The error never echoes the value.
 */
export function parseEncryptionKey(value: string): EncryptionKey {
  const text = value.trim();
  let bytes: Buffer | undefined;
  if (HEX_KEY.test(text)) bytes = Buffer.from(text, "hex");
  else if (BASE64_KEY.test(text)) bytes = Buffer.from(text, "base64");
  if (bytes?.length !== KEY_BYTES) {
    throw new Error(
      "WRIT_ENCRYPTION_KEY must be 32 bytes, base64 or hex (generate one with `openssl rand -base64 32`)",
    );
  }
  return EncryptionKey.fromBytes(bytes);
}

/** A fresh key, base64 of 32 random bytes: the form `parseEncryptionKey` reads. */
export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

export function encryptJson(key: EncryptionKey, value: unknown): Buffer {
  const json = JSON.stringify(value);
  if (json === undefined) {
    throw new TypeError(
      "encryptJson: the value has no JSON form (undefined, a function or a symbol)",
    );
  }
  const version = Buffer.of(FORMAT_VERSION);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", bytesOf(key), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(version);
  const ciphertext = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
  return Buffer.concat([version, iv, ciphertext, cipher.getAuthTag()]);
}

/**
 * Decrypts a blob from `encryptJson`. Given several keys (newest first, during a rotation), the
 * first that authenticates the blob wins. Throws when no key does: the blob was altered, or was
 * sealed under another key. Error messages say which, never what the blob holds.
 */
export function decryptJson<T = unknown>(
  key: EncryptionKey | readonly EncryptionKey[],
  blob: Uint8Array,
): T {
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (data.length < HEADER_BYTES + TAG_BYTES) {
    throw new Error("cannot decrypt: the encrypted value is truncated");
  }
  const version = data[0];
  if (version !== FORMAT_VERSION) {
    throw new Error(`cannot decrypt: unknown encryption format version ${version}`);
  }
  const iv = data.subarray(1, HEADER_BYTES);
  const ciphertext = data.subarray(HEADER_BYTES, data.length - TAG_BYTES);
  const tag = data.subarray(data.length - TAG_BYTES);

  const keyring: readonly EncryptionKey[] = key instanceof EncryptionKey ? [key] : key;
  for (const candidate of keyring) {
    const plaintext = openWith(candidate, iv, ciphertext, tag, data.subarray(0, 1));
    if (plaintext !== undefined) return JSON.parse(plaintext) as T;
  }
  throw new Error("cannot decrypt: wrong encryption key, or the encrypted value was altered");
}

function openWith(
  key: EncryptionKey,
  iv: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
  additionalData: Buffer,
): string | undefined {
  const decipher = createDecipheriv("aes-256-gcm", bytesOf(key), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    // GCM's only failure here is authentication; the caller decides whether another key fits.
    return undefined;
  }
}

function bytesOf(key: EncryptionKey): Buffer {
  const bytes = keyBytes.get(key);
  if (bytes === undefined) throw new TypeError("not an EncryptionKey from parseEncryptionKey");
  return bytes;
}
