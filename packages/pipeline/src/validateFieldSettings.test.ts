import { describe, expect, it } from "vitest";
import type { FieldSetting } from "./types";
import { validateFieldSettings } from "./validateFieldSettings";

/** Settings as they might arrive in a request body, before any checking. */
const unchecked = (value: unknown) => value as Record<string, FieldSetting>;

describe("validateFieldSettings", () => {
  it("accepts the seed's settings", () => {
    expect(
      validateFieldSettings({
        source: {
          default: { stringValue: "myApp" },
          writeOnUpdate: "never",
          writeOnCreate: "always",
        },
        amount: { default: { integerValue: 0 } },
        automated: { default: { booleanValue: false }, writeOnUpdate: "ifEmpty" },
        stage: {},
      }),
    ).toEqual([]);
  });

  it("requires a default to hold one value", () => {
    expect(validateFieldSettings({ source: { default: {} } })).toEqual([
      {
        path: "source.default",
        message: "default must set one of stringValue, integerValue or booleanValue",
      },
    ]);
  });

  it("rejects a default holding two values", () => {
    expect(
      validateFieldSettings({ source: { default: { stringValue: "a", booleanValue: true } } }),
    ).toEqual([
      {
        path: "source.default",
        message:
          "default must set exactly one of stringValue, integerValue or booleanValue, not stringValue and booleanValue",
      },
    ]);
  });

  it.each([
    [{ integerValue: 1.5 }, "source.default.integerValue", "integerValue must be an integer"],
    [{ integerValue: "1" }, "source.default.integerValue", "integerValue must be an integer"],
    [{ stringValue: 3 }, "source.default.stringValue", "stringValue must be a string"],
    [{ booleanValue: "true" }, "source.default.booleanValue", "booleanValue must be true or false"],
  ])("rejects the mistyped default %j", (fieldDefault, path, message) => {
    expect(validateFieldSettings(unchecked({ source: { default: fieldDefault } }))).toEqual([
      { path, message },
    ]);
  });

  it("names an unknown key in a default", () => {
    expect(
      validateFieldSettings(
        unchecked({ source: { default: { numberValue: 1, stringValue: "a" } } }),
      ),
    ).toEqual([
      {
        path: "source.default.numberValue",
        message: "unknown key numberValue; use stringValue, integerValue or booleanValue",
      },
    ]);
  });

  it("rejects a default that is not an object", () => {
    expect(validateFieldSettings(unchecked({ source: { default: "myApp" } }))).toEqual([
      {
        path: "source.default",
        message: "default must be an object with one of stringValue, integerValue or booleanValue",
      },
    ]);
  });

  it("checks the overwrite choices", () => {
    expect(
      validateFieldSettings(
        unchecked({ source: { writeOnCreate: "ifEmpty", writeOnUpdate: "sometimes" } }),
      ),
    ).toEqual([
      { path: "source.writeOnCreate", message: "writeOnCreate must be always or never" },
      { path: "source.writeOnUpdate", message: "writeOnUpdate must be always, never or ifEmpty" },
    ]);
  });

  it("collects the problems of every field", () => {
    const issues = validateFieldSettings(
      unchecked({ a: { default: {} }, b: "never", c: { writeOnUpdate: 1 } }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(["a.default", "b", "c.writeOnUpdate"]);
  });

  it("rejects settings that are not an object", () => {
    expect(validateFieldSettings(unchecked([]))).toEqual([
      { path: "", message: "field settings must be an object keyed by field name" },
    ]);
  });
});
