import type { WatchSchema } from "./manifest";
import type { Located, NodeReader } from "./nodeReader";
import { omitUndefined } from "./omitUndefined";
import { readSchedule } from "./readSchedule";

/** The schema documents a minimum frequency of once an hour for schema checks. */
const minimumWatchGapMinutes = 60;

const schemaEvents = ["fieldCreated", "fieldDeleted", "fieldChanged"] as const;

export function readWatchSchema(
  reader: NodeReader,
  at: Located | undefined,
): WatchSchema | undefined {
  const watch = reader.mapping(at, {
    name: "watchSchema",
    keys: ["destination", "schedule", "allObjects"],
    required: ["destination", "allObjects"],
  });
  if (watch === undefined) return undefined;
  const destination = reader.string(watch.get("destination"), { nonEmpty: true });
  const schedule = readSchedule(reader, watch.get("schedule"), {
    minimumGapMinutes: minimumWatchGapMinutes,
    appliesTo: "schema watch schedules",
  });
  const allObjects = reader.mapping(watch.get("allObjects"), {
    name: "allObjects",
    keys: schemaEvents,
  });
  const events: WatchSchema["allObjects"] = {};
  for (const eventName of schemaEvents) {
    const event = reader.mapping(allObjects?.get(eventName), {
      name: eventName,
      keys: ["enabled"],
      required: ["enabled"],
    });
    const enabled = reader.oneOf(event?.get("enabled"), ["always"]);
    if (enabled !== undefined) events[eventName] = { enabled };
  }
  if (destination === undefined || allObjects === undefined) return undefined;
  return omitUndefined({ destination, schedule, allObjects: events });
}
