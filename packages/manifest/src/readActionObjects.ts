import type { Located, NodeReader } from "./nodeReader";
import { reportDuplicateNames } from "./reportDuplicateNames";

export type ActionName = "read" | "write" | "subscribe";

/**
 * `read`, `write` and `subscribe` share one shape: `objects`, a non-empty list in which each
 * objectName appears once (the write API and installations address objects by that name).
 */
export function readActionObjects<ActionObject>(
  reader: NodeReader,
  at: Located | undefined,
  action: ActionName,
  readObject: (reader: NodeReader, at: Located) => ActionObject | undefined,
): { objects: ActionObject[] } | undefined {
  const mapping = reader.mapping(at, {
    name: `a ${action} action`,
    keys: ["objects"],
    required: ["objects"],
  });
  const items = reader.list(mapping?.get("objects"), { nonEmpty: true, itemName: "object" });
  if (items === undefined) return undefined;
  reportDuplicateNames(
    reader,
    items,
    "objectName",
    "duplicate-object-name",
    (name, firstLine) => `objectName "${name}" is already in ${action}.objects (line ${firstLine})`,
  );
  const objects: ActionObject[] = [];
  for (const item of items) {
    const object = readObject(reader, item);
    if (object !== undefined) objects.push(object);
  }
  return { objects };
}
