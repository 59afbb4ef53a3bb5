const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const checksumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/**
 * Salesforce's case-insensitive 3-character suffix: one character per 5-character chunk,
 * encoding which of its characters are upper case.
 */
function checksumSuffix(id15: string): string {
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let position = 0; position < 5; position++) {
      const char = id15.charCodeAt(chunk * 5 + position);
      if (char >= 65 && char <= 90) flags |= 1 << position;
    }
    suffix += checksumAlphabet[flags];
  }
  return suffix;
}

/** An 18-character id: key prefix, pod and reserved characters, base-62 sequence, checksum. */
export function salesforceRecordId(keyPrefix: string, sequence: number): string {
  let digits = "";
  let rest = sequence;
  do {
    digits = base62[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  const id15 = `${keyPrefix}Hs0${digits.padStart(9, "0")}`;
  return id15 + checksumSuffix(id15);
}

/** Salesforce accepts 15- and 18-character ids alike; stores key on the 18-character form. */
export function toEighteenCharacterId(id: string): string {
  return id.length === 15 ? id + checksumSuffix(id) : id;
}

/** A stable key prefix for a custom object (`a` + two characters derived from its name). */
export function customKeyPrefix(objectName: string): string {
  let hash = 0;
  for (let i = 0; i < objectName.length; i++) {
    hash = (Math.imul(hash, 31) + objectName.charCodeAt(i)) >>> 0;
  }
  return `a${base62[hash % 62]}${base62[Math.floor(hash / 62) % 62]}`;
}
