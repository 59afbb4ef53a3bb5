import { isMap } from "yaml";
import type { IntegrationField } from "./manifest";
import type { Located, NodeReader } from "./nodeReader";
import { omitUndefined } from "./omitUndefined";

/**
 * An entry of requiredFields/optionalFields. The schema's oneOf is decided by `fieldName`: with
 * it, the entry names an existing provider field; without it, `mapToName` names a field the
 * customer maps to one of theirs when installing.
 */
export function readIntegrationField(
  reader: NodeReader,
  at: Located,
): IntegrationField | undefined {
  if (!isMap(at.node)) {
    reader.wrongType("a mapping", at);
    return undefined;
  }
  const hasFieldName = at.node.has("fieldName");
  if (!hasFieldName && !at.node.has("mapToName")) {
    reader.error(
      "field-without-name",
      "a field needs fieldName (a provider field) or mapToName (a field the customer maps)",
      at,
    );
  }
  return hasFieldName ? readExistentField(reader, at) : readMappedField(reader, at);
}

function readExistentField(reader: NodeReader, at: Located): IntegrationField | undefined {
  const field = reader.mapping(at, {
    name: "a field with fieldName",
    keys: ["fieldName", "mapToName", "mapToDisplayName"],
  });
  const fieldName = reader.string(field?.get("fieldName"), { nonEmpty: true });
  const mapToName = reader.string(field?.get("mapToName"), { nonEmpty: true });
  const mapToDisplayName = reader.string(field?.get("mapToDisplayName"));
  if (fieldName === undefined) return undefined;
  return omitUndefined({ fieldName, mapToName, mapToDisplayName });
}

function readMappedField(reader: NodeReader, at: Located): IntegrationField | undefined {
  const field = reader.mapping(at, {
    name: "a field with mapToName",
    keys: ["mapToName", "mapToDisplayName", "default", "prompt"],
  });
  const mapToName = reader.string(field?.get("mapToName"), { nonEmpty: true });
  const mapToDisplayName = reader.string(field?.get("mapToDisplayName"));
  const defaultValue = reader.string(field?.get("default"));
  const prompt = reader.string(field?.get("prompt"));
  if (mapToName === undefined) return undefined;
  return omitUndefined({ mapToName, mapToDisplayName, default: defaultValue, prompt });
}
