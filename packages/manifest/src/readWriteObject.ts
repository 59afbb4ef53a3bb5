import type { WriteObject } from "./manifest";
import type { Located, NodeReader } from "./nodeReader";
import { omitUndefined } from "./omitUndefined";

export function readWriteObject(reader: NodeReader, at: Located): WriteObject | undefined {
  const object = reader.mapping(at, {
    name: "a write object",
    keys: ["objectName", "inheritMapping", "valueDefaults"],
    required: ["objectName"],
  });
  if (object === undefined) return undefined;
  const objectName = reader.string(object.get("objectName"), { nonEmpty: true });
  const inheritMapping = reader.boolean(object.get("inheritMapping"));
  const valueDefaults = reader.mapping(object.get("valueDefaults"), {
    name: "valueDefaults",
    keys: ["allowAnyFields"],
  });
  const allowAnyFields = reader.boolean(valueDefaults?.get("allowAnyFields"));
  if (objectName === undefined) return undefined;
  return omitUndefined({
    objectName,
    inheritMapping,
    valueDefaults: valueDefaults && omitUndefined({ allowAnyFields }),
  });
}
