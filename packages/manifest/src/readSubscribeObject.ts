import type { SubscribeObject } from "./manifest";
import type { Located, NodeReader } from "./nodeReader";
import { omitUndefined } from "./omitUndefined";

export function readSubscribeObject(reader: NodeReader, at: Located): SubscribeObject | undefined {
  const object = reader.mapping(at, {
    name: "a subscribe object",
    keys: [
      "objectName",
      "destination",
      "inheritFieldsAndMapping",
      "createEvent",
      "updateEvent",
      "deleteEvent",
      "associationChangeEvent",
      "otherEvents",
    ],
    required: ["objectName", "destination"],
  });
  if (object === undefined) return undefined;
  const objectName = reader.string(object.get("objectName"), { nonEmpty: true });
  const destination = reader.string(object.get("destination"), { nonEmpty: true });
  const subscribe = omitUndefined({
    inheritFieldsAndMapping: reader.boolean(object.get("inheritFieldsAndMapping")),
    createEvent: readEnabledOnlyEvent(reader, object.get("createEvent"), "createEvent"),
    updateEvent: readUpdateEvent(reader, object.get("updateEvent")),
    deleteEvent: readEnabledOnlyEvent(reader, object.get("deleteEvent"), "deleteEvent"),
    associationChangeEvent: readAssociationChangeEvent(
      reader,
      object.get("associationChangeEvent"),
    ),
    otherEvents: reader.stringList(object.get("otherEvents"), "event name"),
  });
  if (objectName === undefined || destination === undefined) return undefined;
  return { objectName, destination, ...subscribe };
}

function readEnabledOnlyEvent(
  reader: NodeReader,
  at: Located | undefined,
  name: string,
): { enabled?: "always" } | undefined {
  const event = reader.mapping(at, { name, keys: ["enabled"] });
  if (event === undefined) return undefined;
  return omitUndefined({ enabled: reader.oneOf(event.get("enabled"), ["always"]) });
}

function readUpdateEvent(reader: NodeReader, at: Located | undefined) {
  const event = reader.mapping(at, {
    name: "updateEvent",
    keys: ["enabled", "watchFieldsAuto", "requiredWatchFields"],
  });
  if (event === undefined) return undefined;
  return omitUndefined({
    enabled: reader.oneOf(event.get("enabled"), ["always"]),
    watchFieldsAuto: reader.oneOf(event.get("watchFieldsAuto"), ["all", "selected"]),
    requiredWatchFields: reader.stringList(event.get("requiredWatchFields"), "field name"),
  });
}

function readAssociationChangeEvent(reader: NodeReader, at: Located | undefined) {
  const event = reader.mapping(at, {
    name: "associationChangeEvent",
    keys: ["enabled", "includeFullRecords"],
  });
  if (event === undefined) return undefined;
  return omitUndefined({
    enabled: reader.oneOf(event.get("enabled"), ["always"]),
    includeFullRecords: reader.boolean(event.get("includeFullRecords")),
  });
}
