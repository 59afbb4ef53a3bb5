import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { generateEncryptionKey } from "./encryption";

/**
 * Development only: the encryption key kept in a local file (created on first use, mode 0600),
 * so `npm start` works with no setup and restarts can still decrypt stored credentials.
 * Production must set WRIT_ENCRYPTION_KEY; the apps refuse to start without it there.
 */
export function loadOrCreateDevEncryptionKey(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = generateEncryptionKey();
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    // Another process (API and worker start together) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return readFileSync(file, "utf8").trim();
    throw error;
  }
}
