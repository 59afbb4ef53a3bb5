/**
 * Drops keys whose value is undefined, so the manifest has exactly the keys its author wrote:
 * `"inheritMapping" in object` means the YAML set it.
 */
export function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
