/**
 * Writ object names (singular, as in Ampersand manifests) → HubSpot CRM v3 object types.
 * Plural names, object type ids (`0-1`, `2-12345`) and custom object names (`p_name`) are
 * already valid in HubSpot URLs and pass through unchanged.
 */
export const hubSpotObjectTypes: Readonly<Record<string, string>> = {
  contact: "contacts",
  company: "companies",
  deal: "deals",
  ticket: "tickets",
  lead: "leads",
  product: "products",
  line_item: "line_items",
  quote: "quotes",
  call: "calls",
  email: "emails",
  meeting: "meetings",
  note: "notes",
  task: "tasks",
  communication: "communications",
  postal_mail: "postal_mail",
  appointment: "appointments",
  course: "courses",
  listing: "listings",
  service: "services",
  invoice: "invoices",
  order: "orders",
  cart: "carts",
};

const knownPlurals = new Set(Object.values(hubSpotObjectTypes));

export function hubSpotObjectType(objectName: string): string {
  const name = objectName.trim();
  const lower = name.toLowerCase();
  const mapped = hubSpotObjectTypes[lower];
  if (mapped) return mapped;
  // Standard plurals are case-insensitive for us; custom names keep their exact spelling.
  return knownPlurals.has(lower) ? lower : name;
}
