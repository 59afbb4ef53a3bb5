import { describe, expect, it } from "vitest";
import { customKeyPrefix, salesforceRecordId, toEighteenCharacterId } from "./recordIds";

describe("Salesforce record ids", () => {
  it("computes the real case-safe suffix of a 15-character id", () => {
    expect(toEighteenCharacterId("001A0000006Vm9r")).toBe("001A0000006Vm9rIAC");
    expect(toEighteenCharacterId("003Hs0000000001IAA")).toBe("003Hs0000000001IAA");
  });

  it("builds distinct 18-character ids that start with the object's key prefix", () => {
    const first = salesforceRecordId("003", 1);
    const big = salesforceRecordId("00Q", 62 ** 5 + 7);
    expect(first).toMatch(/^003[A-Za-z0-9]{15}$/);
    expect(big).toMatch(/^00Q[A-Za-z0-9]{15}$/);
    expect(salesforceRecordId("003", 2)).not.toBe(first);
    expect(toEighteenCharacterId(first.slice(0, 15))).toBe(first);
  });

  it("gives a custom object the same key prefix every time", () => {
    expect(customKeyPrefix("invoice__c")).toBe(customKeyPrefix("invoice__c"));
    expect(customKeyPrefix("invoice__c")).toMatch(/^a[A-Za-z0-9]{2}$/);
  });
});
