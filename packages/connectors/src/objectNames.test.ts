import { describe, expect, it } from "vitest";
import { hubSpotObjectType } from "./hubspot/objectTypes";
import { salesforceSObjectName } from "./salesforce/sObjectNames";

describe("hubSpotObjectType", () => {
  it.each([
    ["contact", "contacts"],
    ["company", "companies"],
    ["deal", "deals"],
    ["ticket", "tickets"],
    ["lead", "leads"],
    ["line_item", "line_items"],
    ["Contact", "contacts"],
    ["contacts", "contacts"],
    ["Companies", "companies"],
    ["2-12345", "2-12345"],
    ["0-1", "0-1"],
    ["p_touchpoints", "p_touchpoints"],
    ["p_MixedCase", "p_MixedCase"],
  ])("%s → %s", (name, expected) => {
    expect(hubSpotObjectType(name)).toBe(expected);
  });
});

describe("salesforceSObjectName", () => {
  it.each([
    ["contact", "Contact"],
    ["account", "Account"],
    ["lead", "Lead"],
    ["opportunity", "Opportunity"],
    ["opportunitylineitem", "OpportunityLineItem"],
    ["Contact", "Contact"],
    ["touchpoints__c", "touchpoints__c"],
    ["Touchpoints__c", "Touchpoints__c"],
    ["ns__Widget__c", "ns__Widget__c"],
    ["CustomThing", "CustomThing"],
  ])("%s → %s", (name, expected) => {
    expect(salesforceSObjectName(name)).toBe(expected);
  });
});
