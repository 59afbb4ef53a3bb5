/**
 * Converts Writ field values to what HubSpot's `properties` map accepts. HubSpot stores every
 * property as a string but takes JSON numbers and booleans; everything else needs a conversion:
 * - null clears the property, which HubSpot spells as an empty string;
 * - arrays become multi-select values, `;`-separated;
 * - dates become ISO 8601 strings (datetime properties accept them);
 * - other objects are sent as JSON text rather than rejected;
 * - undefined means "not set" and is left out.
 */
export function toHubSpotProperties(
  fields: Record<string, unknown>,
): Record<string, string | number | boolean> {
  const properties: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(fields)) {
    const converted = toHubSpotPropertyValue(value);
    if (converted !== undefined) properties[name] = converted;
  }
  return properties;
}

export function toHubSpotPropertyValue(value: unknown): string | number | boolean | undefined {
  if (value === undefined) return undefined;
  if (value === null) return "";
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return value
      .map((item) => toHubSpotPropertyValue(item))
      .filter((item) => item !== undefined && item !== "")
      .join(";");
  }
  return JSON.stringify(value);
}
