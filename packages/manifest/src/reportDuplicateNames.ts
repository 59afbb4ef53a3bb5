import type { Located, NodeReader } from "./nodeReader";
import type { ManifestProblemCode } from "./problems";

/** Reports every item whose `key` repeats an earlier item's, pointing back at the first. */
export function reportDuplicateNames(
  reader: NodeReader,
  items: readonly Located[],
  key: string,
  code: ManifestProblemCode,
  describe: (name: string, firstLine: number) => string,
): void {
  const firstSeen = new Map<string, Located>();
  for (const item of items) {
    const name = reader.peekString(item, key);
    if (name === undefined) continue;
    const first = firstSeen.get(name.value);
    if (first === undefined) firstSeen.set(name.value, name.at);
    else reader.error(code, describe(name.value, reader.positionOf(first.offset).line), name.at);
  }
}
