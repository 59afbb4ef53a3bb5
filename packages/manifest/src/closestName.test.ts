import { describe, expect, it } from "vitest";
import { closestName } from "./closestName";

describe("closestName", () => {
  const keys = ["objectName", "inheritMapping", "valueDefaults"];

  it("suggests the name a typo most likely meant", () => {
    expect(closestName("objectNme", keys)).toBe("objectName");
    expect(closestName("inheritMappings", keys)).toBe("inheritMapping");
    expect(closestName("salesfroce", ["hubspot", "salesforce"])).toBe("salesforce");
  });

  it("ignores case", () => {
    expect(closestName("HubSpot", ["hubspot", "salesforce"])).toBe("hubspot");
  });

  it("suggests nothing when no candidate is close", () => {
    expect(closestName("pipedrive", ["hubspot", "salesforce"])).toBeUndefined();
    expect(closestName("x", keys)).toBeUndefined();
  });
});
