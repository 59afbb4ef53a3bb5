import { customKeyPrefix } from "./recordIds";

export interface SObjectType {
  /** Canonical API name, as returned in `attributes.type`. */
  name: string;
  keyPrefix: string;
  requiredFields: readonly string[];
  custom: boolean;
}

// The standard objects the emulator knows, with their real key prefixes and the fields an
// insert cannot omit. Anything else that is not a `__c` custom object is an unknown type.
const standardTypes: readonly SObjectType[] = [
  { name: "Account", keyPrefix: "001", requiredFields: ["Name"], custom: false },
  { name: "Note", keyPrefix: "002", requiredFields: ["Title", "ParentId"], custom: false },
  { name: "Contact", keyPrefix: "003", requiredFields: ["LastName"], custom: false },
  { name: "User", keyPrefix: "005", requiredFields: ["LastName"], custom: false },
  {
    name: "Opportunity",
    keyPrefix: "006",
    requiredFields: ["Name", "StageName", "CloseDate"],
    custom: false,
  },
  { name: "OpportunityLineItem", keyPrefix: "00k", requiredFields: [], custom: false },
  { name: "Lead", keyPrefix: "00Q", requiredFields: ["LastName", "Company"], custom: false },
  { name: "Task", keyPrefix: "00T", requiredFields: [], custom: false },
  { name: "Event", keyPrefix: "00U", requiredFields: [], custom: false },
  { name: "CampaignMember", keyPrefix: "00v", requiredFields: ["CampaignId"], custom: false },
  { name: "Product2", keyPrefix: "01t", requiredFields: ["Name"], custom: false },
  { name: "Pricebook2", keyPrefix: "01s", requiredFields: ["Name"], custom: false },
  { name: "Asset", keyPrefix: "02i", requiredFields: ["Name"], custom: false },
  { name: "Quote", keyPrefix: "0Q0", requiredFields: ["Name"], custom: false },
  { name: "Case", keyPrefix: "500", requiredFields: [], custom: false },
  { name: "Campaign", keyPrefix: "701", requiredFields: ["Name"], custom: false },
  { name: "Contract", keyPrefix: "800", requiredFields: ["AccountId"], custom: false },
  {
    name: "Order",
    keyPrefix: "801",
    requiredFields: ["AccountId", "EffectiveDate", "Status"],
    custom: false,
  },
];

const standardByKey = new Map(standardTypes.map((type) => [type.name.toLowerCase(), type]));
const customObjectPattern = /^[A-Za-z][A-Za-z0-9_]*__c$/;

/** Object names are case-insensitive in Salesforce URLs; stores key on the lower-cased name. */
export function sobjectKey(name: string): string {
  return name.toLowerCase();
}

export function resolveSObjectType(name: string): SObjectType | null {
  const standard = standardByKey.get(sobjectKey(name));
  if (standard) return standard;
  if (!customObjectPattern.test(name) || name.includes("___")) return null;
  return { name, keyPrefix: customKeyPrefix(sobjectKey(name)), requiredFields: [], custom: true };
}

const apiNamePattern = /^[A-Za-z][A-Za-z0-9_]*$/;
const customObjectStandardFields = new Set(["Name", "OwnerId", "RecordTypeId", "CurrencyIsoCode"]);

/**
 * Whether a field could exist on the object. There is no org schema here, so standard objects
 * accept any well-formed API name; `Bogus__c` is the one name that never exists, so tests can
 * trigger INVALID_FIELD on purpose.
 */
export function fieldExists(type: SObjectType, field: string): boolean {
  if (!apiNamePattern.test(field) || field.endsWith("_") || field.includes("___")) return false;
  if (field.toLowerCase() === "bogus__c") return false;
  if (type.custom) return field.endsWith("__c") || customObjectStandardFields.has(field);
  return true;
}

/** System fields Salesforce maintains itself; writing them fails with INVALID_FIELD_FOR_INSERT_UPDATE. */
export const systemFields: ReadonlySet<string> = new Set([
  "Id",
  "IsDeleted",
  "CreatedDate",
  "CreatedById",
  "LastModifiedDate",
  "LastModifiedById",
  "SystemModstamp",
]);
