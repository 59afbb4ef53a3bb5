/** What the emulator needs to know about a HubSpot object type. */
export interface HubSpotObjectType {
  /** Plural API name, the key records are stored under (`contacts`, `2-123456`, `p_cars`). */
  name: string;
  /** Upper-case singular used in HubSpot's batch error messages (`CONTACT`). */
  label: string;
  createdProperty: string;
  modifiedProperty: string;
  /** Returned by a GET without `properties`, as HubSpot does for each standard type. */
  defaultProperties: readonly string[];
}

interface StandardType {
  name: string;
  label: string;
  aliases: readonly string[];
  defaultProperties: readonly string[];
}

// Writ's object names are often singular (`contact`), HubSpot's are plural; both and the
// numeric type ids resolve to the same store.
const standardTypes: readonly StandardType[] = [
  {
    name: "contacts",
    label: "CONTACT",
    aliases: ["contact", "0-1"],
    defaultProperties: ["email", "firstname", "lastname"],
  },
  {
    name: "companies",
    label: "COMPANY",
    aliases: ["company", "0-2"],
    defaultProperties: ["domain", "name"],
  },
  {
    name: "deals",
    label: "DEAL",
    aliases: ["deal", "0-3"],
    defaultProperties: ["amount", "closedate", "dealname", "dealstage", "pipeline"],
  },
  {
    name: "tickets",
    label: "TICKET",
    aliases: ["ticket", "0-5"],
    defaultProperties: ["content", "hs_pipeline", "hs_pipeline_stage", "subject"],
  },
  { name: "leads", label: "LEAD", aliases: ["lead", "0-136"], defaultProperties: [] },
  { name: "products", label: "PRODUCT", aliases: ["product", "0-7"], defaultProperties: [] },
  { name: "line_items", label: "LINE_ITEM", aliases: ["line_item", "0-8"], defaultProperties: [] },
  { name: "quotes", label: "QUOTE", aliases: ["quote", "0-14"], defaultProperties: [] },
  { name: "tasks", label: "TASK", aliases: ["task", "0-27"], defaultProperties: [] },
  { name: "notes", label: "NOTE", aliases: ["note", "0-46"], defaultProperties: [] },
  { name: "meetings", label: "MEETING", aliases: ["meeting", "0-47"], defaultProperties: [] },
  { name: "calls", label: "CALL", aliases: ["call", "0-48"], defaultProperties: [] },
  { name: "emails", label: "EMAIL", aliases: ["email", "0-49"], defaultProperties: [] },
];

const standardByAlias = new Map<string, HubSpotObjectType>();
for (const type of standardTypes) {
  // Contacts keep the legacy date property names; every other object uses the hs_ ones.
  const isContact = type.name === "contacts";
  const resolved: HubSpotObjectType = {
    name: type.name,
    label: type.label,
    createdProperty: "createdate",
    modifiedProperty: isContact ? "lastmodifieddate" : "hs_lastmodifieddate",
    defaultProperties: type.defaultProperties,
  };
  for (const alias of [type.name, ...type.aliases]) standardByAlias.set(alias, resolved);
}

const customTypePattern = /^(2-\d+|0-\d+|p\d*_[a-z0-9_]+)$/;
const customTypes = new Map<string, HubSpotObjectType>();

/** Resolves a path segment to its object type, or null when HubSpot could not infer one. */
export function resolveHubSpotObjectType(raw: string): HubSpotObjectType | null {
  const key = raw.toLowerCase();
  const standard = standardByAlias.get(key);
  if (standard) return standard;
  if (!customTypePattern.test(key)) return null;
  let custom = customTypes.get(key);
  if (!custom) {
    custom = {
      name: key,
      label: key.toUpperCase(),
      createdProperty: "hs_createdate",
      modifiedProperty: "hs_lastmodifieddate",
      defaultProperties: [],
    };
    customTypes.set(key, custom);
  }
  return custom;
}
