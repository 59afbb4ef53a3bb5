import { describe, expect, it } from "vitest";
import { toHubSpotProperties } from "./propertyValues";

describe("toHubSpotProperties", () => {
  it("converts each kind of value to what HubSpot accepts", () => {
    expect(
      toHubSpotProperties({
        firstname: "Ada",
        num_employees: 42,
        is_customer: true,
        phone: null,
        favourite_colours: ["red", "blue"],
        signed_up_at: new Date("2026-01-02T03:04:05.000Z"),
        settings: { theme: "dark" },
        skipped: undefined,
      }),
    ).toEqual({
      firstname: "Ada",
      num_employees: 42,
      is_customer: true,
      phone: "",
      favourite_colours: "red;blue",
      signed_up_at: "2026-01-02T03:04:05.000Z",
      settings: '{"theme":"dark"}',
    });
  });
});
