/**
 * Writ object names (lower-case, as in Ampersand manifests) → Salesforce sObject API names.
 * Custom objects and other suffixed names (`touchpoints__c`, `Feed__e`) and names already
 * spelled as API names pass through unchanged.
 */
export const salesforceSObjectNames: Readonly<Record<string, string>> = {
  account: "Account",
  contact: "Contact",
  lead: "Lead",
  opportunity: "Opportunity",
  opportunitylineitem: "OpportunityLineItem",
  opportunitycontactrole: "OpportunityContactRole",
  case: "Case",
  task: "Task",
  event: "Event",
  campaign: "Campaign",
  campaignmember: "CampaignMember",
  user: "User",
  note: "Note",
  product2: "Product2",
  pricebook2: "Pricebook2",
  pricebookentry: "PricebookEntry",
  order: "Order",
  contract: "Contract",
  asset: "Asset",
  quote: "Quote",
};

export function salesforceSObjectName(objectName: string): string {
  const name = objectName.trim();
  if (name.includes("__")) return name;
  return salesforceSObjectNames[name.toLowerCase()] ?? name;
}
