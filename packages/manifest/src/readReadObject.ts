import type { Backfill, Delivery, ReadObject } from "./manifest";
import type { Located, NodeReader } from "./nodeReader";
import { omitUndefined } from "./omitUndefined";
import { readIntegrationField } from "./readIntegrationField";
import { readSchedule } from "./readSchedule";

/** Ampersand refuses read schedules that run more often than this. */
const minimumReadGapMinutes = 10;

export function readReadObject(reader: NodeReader, at: Located): ReadObject | undefined {
  const object = reader.mapping(at, {
    name: "a read object",
    keys: [
      "objectName",
      "destination",
      "schedule",
      "mapToName",
      "mapToDisplayName",
      "requiredFields",
      "optionalFields",
      "optionalFieldsAuto",
      "backfill",
      "delivery",
      "enabled",
    ],
    required: ["objectName", "destination", "schedule"],
  });
  if (object === undefined) return undefined;
  const objectName = reader.string(object.get("objectName"), { nonEmpty: true });
  const destination = reader.string(object.get("destination"), { nonEmpty: true });
  const schedule = readSchedule(reader, object.get("schedule"), {
    minimumGapMinutes: minimumReadGapMinutes,
    appliesTo: "read schedules",
  });
  const read = omitUndefined({
    mapToName: reader.string(object.get("mapToName"), { nonEmpty: true }),
    mapToDisplayName: reader.string(object.get("mapToDisplayName")),
    requiredFields: readFields(reader, object.get("requiredFields")),
    optionalFields: readFields(reader, object.get("optionalFields")),
    optionalFieldsAuto: reader.oneOf(object.get("optionalFieldsAuto"), ["all"]),
    backfill: readBackfill(reader, object.get("backfill")),
    delivery: readDelivery(reader, object.get("delivery")),
    enabled: reader.oneOf(object.get("enabled"), ["always"]),
  });
  if (objectName === undefined || destination === undefined || schedule === undefined) {
    return undefined;
  }
  return { objectName, destination, schedule, ...read };
}

function readFields(reader: NodeReader, at: Located | undefined) {
  const items = reader.list(at, { itemName: "field" });
  return items?.flatMap((item) => readIntegrationField(reader, item) ?? []);
}

function readBackfill(reader: NodeReader, at: Located | undefined): Backfill | undefined {
  const backfill = reader.mapping(at, {
    name: "backfill",
    keys: ["defaultPeriod"],
    required: ["defaultPeriod"],
  });
  const period = reader.mapping(backfill?.get("defaultPeriod"), {
    name: "defaultPeriod",
    keys: ["days", "fullHistory"],
  });
  if (period === undefined) return undefined;
  if (!period.has("days") && !period.has("fullHistory")) {
    reader.error("missing-key", 'defaultPeriod needs "days" or "fullHistory"', period.at);
  }
  const defaultPeriod = omitUndefined({
    days: reader.integer(period.get("days"), { minimum: 0 }),
    fullHistory: reader.boolean(period.get("fullHistory")),
  });
  return { defaultPeriod };
}

function readDelivery(reader: NodeReader, at: Located | undefined): Delivery | undefined {
  const delivery = reader.mapping(at, { name: "delivery", keys: ["mode", "pageSize"] });
  if (delivery === undefined) return undefined;
  return omitUndefined({
    mode: reader.oneOf(delivery.get("mode"), ["onRequest", "auto"]),
    pageSize: reader.integer(delivery.get("pageSize"), { minimum: 50, maximum: 500 }),
  });
}
