import { describe, expect, it } from "vitest";
import { PipelineInputError } from "./errors";
import { fieldsNeedingCurrentValues, isDeletionEnabled, planWrite } from "./planWrite";
import type { FieldPlanEntry, ReadObjectConfig, WriteObjectConfig } from "./types";

const lead = (config: Omit<WriteObjectConfig, "objectName"> = {}): WriteObjectConfig => ({
  objectName: "lead",
  ...config,
});

const leadReadObject = (selectedFieldMappings: Record<string, string>): ReadObjectConfig => ({
  objectName: "lead",
  selectedFieldMappings,
});

function entryFor(fields: FieldPlanEntry[], field: string): FieldPlanEntry | undefined {
  return fields.find((entry) => entry.field === field);
}

function captureError(run: () => unknown): PipelineInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof PipelineInputError) return error;
    throw error;
  }
  throw new Error("expected a PipelineInputError");
}

describe("seed: prevent overwriting of customer data", () => {
  const writeObject = lead({
    selectedFieldSettings: { source: { writeOnUpdate: "never", writeOnCreate: "always" } },
  });

  it("writes source on create", () => {
    const plan = planWrite({ type: "create", record: { source: "web", name: "A" }, writeObject });
    expect(plan.payload).toEqual({ source: "web", name: "A" });
    expect(entryFor(plan.fields, "source")).toEqual({
      field: "source",
      providerField: "source",
      action: "kept",
      reason: "written as sent",
    });
  });

  it("drops source on update and keeps the other fields", () => {
    const plan = planWrite({
      type: "update",
      record: { id: "42", source: "web", name: "A" },
      writeObject,
    });
    expect(plan.payload).toEqual({ name: "A" });
    expect(entryFor(plan.fields, "source")).toEqual({
      field: "source",
      providerField: "source",
      action: "dropped",
      reason: "writeOnUpdate is never",
    });
  });

  it("drops a field on create when writeOnCreate is never, and writes it on update", () => {
    const updateOnly = lead({ selectedFieldSettings: { stage: { writeOnCreate: "never" } } });
    const create = planWrite({
      type: "create",
      record: { stage: "open" },
      writeObject: updateOnly,
    });
    expect(create.payload).toEqual({});
    expect(entryFor(create.fields, "stage")?.reason).toBe("writeOnCreate is never");
    const update = planWrite({
      type: "update",
      record: { id: "1", stage: "open" },
      writeObject: updateOnly,
    });
    expect(update.payload).toEqual({ stage: "open" });
  });
});

describe("seed: default values", () => {
  const writeObject = lead({
    selectedFieldSettings: {
      source: { default: { stringValue: "myApp" } },
      amount: { default: { integerValue: 0 } },
      automated: { default: { booleanValue: true } },
    },
  });

  it("applies each typed default when the field is absent", () => {
    const plan = planWrite({ type: "create", record: { name: "A" }, writeObject });
    expect(plan.payload).toEqual({ name: "A", source: "myApp", amount: 0, automated: true });
    expect(plan.fields).toEqual([
      { field: "name", providerField: "name", action: "kept", reason: "written as sent" },
      {
        field: "source",
        providerField: "source",
        action: "defaulted",
        reason: "default stringValue applied: field absent",
      },
      {
        field: "amount",
        providerField: "amount",
        action: "defaulted",
        reason: "default integerValue applied: field absent",
      },
      {
        field: "automated",
        providerField: "automated",
        action: "defaulted",
        reason: "default booleanValue applied: field absent",
      },
    ]);
  });

  it("keeps the record's own values when present", () => {
    const plan = planWrite({
      type: "create",
      record: { source: "import", amount: 12, automated: false },
      writeObject,
    });
    expect(plan.payload).toEqual({ source: "import", amount: 12, automated: false });
    expect(plan.fields.map((entry) => entry.action)).toEqual(["kept", "kept", "kept"]);
  });

  it.each([
    ["null", null],
    ["the empty string", ""],
    ["zero", 0],
    ["false", false],
  ])("treats %s as present: the default does not replace it", (_label, value) => {
    const plan = planWrite({
      type: "create",
      record: { source: value, amount: value, automated: value },
      writeObject,
    });
    expect(plan.payload).toEqual({ source: value, amount: value, automated: value });
  });

  it("treats an explicit undefined as absent", () => {
    const plan = planWrite({ type: "create", record: { source: undefined }, writeObject });
    expect(plan.payload.source).toBe("myApp");
    expect(entryFor(plan.fields, "source")?.action).toBe("defaulted");
  });

  it("drops an undefined field that has no default", () => {
    const plan = planWrite({ type: "create", record: { note: undefined }, writeObject });
    expect("note" in plan.payload).toBe(false);
    expect(entryFor(plan.fields, "note")).toEqual({
      field: "note",
      action: "dropped",
      reason: "value is undefined",
    });
  });

  it("applies defaults on update too, when the overwrite policy allows", () => {
    const plan = planWrite({ type: "update", record: { id: "7" }, writeObject });
    expect(plan.payload).toEqual({ source: "myApp", amount: 0, automated: true });
  });
});

describe("seed: combined mapping, default and overwrite policy", () => {
  const writeObject = lead({
    inheritMapping: true,
    selectedFieldSettings: {
      customSource: {
        default: { stringValue: "myApp" },
        writeOnUpdate: "never",
        writeOnCreate: "always",
      },
    },
  });
  const readObject = leadReadObject({ customSource: "myCustomSource" });

  it("create without customSource writes the default to the mapped field", () => {
    const plan = planWrite({ type: "create", record: {}, writeObject, readObject });
    expect(plan.payload).toEqual({ myCustomSource: "myApp" });
    expect(plan.fields).toEqual([
      {
        field: "customSource",
        providerField: "myCustomSource",
        action: "defaulted",
        reason:
          "default stringValue applied: field absent; mapped to myCustomSource via read.objects.lead.selectedFieldMappings",
      },
    ]);
  });

  it("create with customSource renames the sent value", () => {
    const plan = planWrite({
      type: "create",
      record: { customSource: "partner" },
      writeObject,
      readObject,
    });
    expect(plan.payload).toEqual({ myCustomSource: "partner" });
    expect(plan.fields).toEqual([
      {
        field: "customSource",
        providerField: "myCustomSource",
        action: "renamed",
        reason: "mapped to myCustomSource via read.objects.lead.selectedFieldMappings",
      },
    ]);
  });

  it("update with customSource drops it", () => {
    const plan = planWrite({
      type: "update",
      record: { id: "9", customSource: "partner" },
      writeObject,
      readObject,
    });
    expect(plan.payload).toEqual({});
    expect(plan.fields).toEqual([
      {
        field: "customSource",
        providerField: "myCustomSource",
        action: "dropped",
        reason: "writeOnUpdate is never",
      },
    ]);
  });

  it("update without customSource does not write the default either", () => {
    const plan = planWrite({ type: "update", record: { id: "9" }, writeObject, readObject });
    expect(plan.payload).toEqual({});
    expect(entryFor(plan.fields, "customSource")?.reason).toBe(
      "writeOnUpdate is never (default not applied)",
    );
  });
});

describe("record id", () => {
  it("takes id out of an update and returns it as recordId", () => {
    const plan = planWrite({
      type: "update",
      record: { id: "003xx", name: "A" },
      writeObject: lead(),
    });
    expect(plan.recordId).toBe("003xx");
    expect(plan.payload).toEqual({ name: "A" });
    expect(entryFor(plan.fields, "id")).toBeUndefined();
  });

  it("accepts a numeric id, as HubSpot ids often arrive", () => {
    const plan = planWrite({ type: "update", record: { id: 18417469280 }, writeObject: lead() });
    expect(plan.recordId).toBe("18417469280");
  });

  it("passes id through as a normal field on create, with no recordId", () => {
    const plan = planWrite({ type: "create", record: { id: "ext-1" }, writeObject: lead() });
    expect(plan.recordId).toBeUndefined();
    expect(plan.payload).toEqual({ id: "ext-1" });
  });

  it.each([
    ["missing", {}],
    ["empty", { id: "" }],
    ["blank", { id: "  " }],
    ["null", { id: null }],
    ["an object", { id: { value: "1" } }],
    ["a fraction", { id: 1.5 }],
  ])("rejects an update whose id is %s", (_label, record) => {
    const error = captureError(() => planWrite({ type: "update", record, writeObject: lead() }));
    expect(error.code).toBe("missing_record_id");
    expect(error.message).toBe(
      "record.id is required for update and must be a non-empty string (the provider's record id)",
    );
  });

  it("rejects a delete without id", () => {
    const writeObject = lead({ deletionSettings: { enabled: true } });
    const error = captureError(() => planWrite({ type: "delete", record: {}, writeObject }));
    expect(error.code).toBe("missing_record_id");
    expect(error.message).toContain("for delete");
  });
});

describe("delete", () => {
  const writeObject = lead({
    deletionSettings: { enabled: true },
    selectedFieldSettings: { source: { default: { stringValue: "myApp" } } },
  });

  it("sends an empty payload and only the record id, without applying defaults", () => {
    const plan = planWrite({ type: "delete", record: { id: "5", name: "A" }, writeObject });
    expect(plan).toEqual({
      type: "delete",
      recordId: "5",
      payload: {},
      fields: [{ field: "name", action: "dropped", reason: "a delete sends only the record id" }],
      needsCurrentValues: [],
    });
  });

  it.each([
    ["deletionSettings is absent", lead()],
    ["deletion is disabled", lead({ deletionSettings: { enabled: false } })],
  ])("is refused when %s", (_label, disabled) => {
    expect(isDeletionEnabled(disabled)).toBe(false);
    const error = captureError(() =>
      planWrite({ type: "delete", record: { id: "5" }, writeObject: disabled }),
    );
    expect(error.code).toBe("deletion_disabled");
    expect(error.message).toContain('object "lead"');
  });

  it("reports deletion as enabled only when it is", () => {
    expect(isDeletionEnabled(writeObject)).toBe(true);
  });
});

describe("ifEmpty", () => {
  const writeObject = lead({
    selectedFieldSettings: { owner: { writeOnUpdate: "ifEmpty" } },
  });
  const record = { id: "1", owner: "ana", name: "A" };

  it.each([
    ["missing from the current record", {}],
    ["null", { owner: null }],
    ["the empty string", { owner: "" }],
  ])("writes the field when the provider's value is %s", (_label, currentRecord) => {
    const plan = planWrite({ type: "update", record, writeObject, currentRecord });
    expect(plan.payload).toEqual({ owner: "ana", name: "A" });
    expect(plan.needsCurrentValues).toEqual([]);
    expect(entryFor(plan.fields, "owner")).toEqual({
      field: "owner",
      providerField: "owner",
      action: "kept",
      reason: "ifEmpty: provider value is empty",
    });
  });

  it.each([
    ["a string", "bob"],
    ["zero", 0],
    ["false", false],
  ])("drops the field when the provider already holds %s", (_label, current) => {
    const plan = planWrite({
      type: "update",
      record,
      writeObject,
      currentRecord: { owner: current },
    });
    expect(plan.payload).toEqual({ name: "A" });
    expect(entryFor(plan.fields, "owner")).toEqual({
      field: "owner",
      providerField: "owner",
      action: "dropped",
      reason: "ifEmpty: provider already has a value",
    });
  });

  it("without a current record, leaves the field out and asks for its current value", () => {
    const plan = planWrite({ type: "update", record, writeObject });
    expect(plan.payload).toEqual({ name: "A" });
    expect(plan.needsCurrentValues).toEqual(["owner"]);
    expect(entryFor(plan.fields, "owner")).toEqual({
      field: "owner",
      providerField: "owner",
      action: "awaitingCurrentValue",
      reason: "ifEmpty: the provider's current value is needed to decide",
    });
  });

  it("does not apply on create", () => {
    const plan = planWrite({ type: "create", record: { owner: "ana" }, writeObject });
    expect(plan.payload).toEqual({ owner: "ana" });
    expect(plan.needsCurrentValues).toEqual([]);
  });

  it("writes a default only where the provider's value is empty", () => {
    const withDefault = lead({
      selectedFieldSettings: {
        source: { default: { stringValue: "myApp" }, writeOnUpdate: "ifEmpty" },
      },
    });
    const empty = planWrite({
      type: "update",
      record: { id: "1" },
      writeObject: withDefault,
      currentRecord: { source: "" },
    });
    expect(empty.payload).toEqual({ source: "myApp" });
    expect(entryFor(empty.fields, "source")?.reason).toBe(
      "default stringValue applied: field absent; ifEmpty: provider value is empty",
    );
    const filled = planWrite({
      type: "update",
      record: { id: "1" },
      writeObject: withDefault,
      currentRecord: { source: "crm" },
    });
    expect(filled.payload).toEqual({});
    expect(entryFor(filled.fields, "source")?.reason).toBe(
      "ifEmpty: provider already has a value (default not applied)",
    );
  });

  it("looks up the current value under the provider's field name", () => {
    const mapped = lead({
      inheritMapping: true,
      selectedFieldSettings: { owner: { writeOnUpdate: "ifEmpty" } },
    });
    const readObject = leadReadObject({ owner: "OwnerId" });
    const input = {
      type: "update" as const,
      record: { id: "1", owner: "ana" },
      writeObject: mapped,
      readObject,
    };
    expect(fieldsNeedingCurrentValues(input)).toEqual(["OwnerId"]);
    // A value under the application's name must not count: the provider knows only OwnerId.
    const plan = planWrite({ ...input, currentRecord: { owner: "x", OwnerId: "005" } });
    expect(plan.payload).toEqual({});
    const planEmpty = planWrite({ ...input, currentRecord: { owner: "x", OwnerId: null } });
    expect(planEmpty.payload).toEqual({ OwnerId: "ana" });
  });
});

describe("fieldsNeedingCurrentValues", () => {
  const writeObject = lead({
    inheritMapping: true,
    removeUnmappedFields: true,
    selectedFieldSettings: {
      owner: { writeOnUpdate: "ifEmpty" },
      region: { writeOnUpdate: "ifEmpty", default: { stringValue: "emea" } },
      absentNoDefault: { writeOnUpdate: "ifEmpty" },
      unmapped: { writeOnUpdate: "ifEmpty" },
    },
  });
  const readObject = leadReadObject({
    owner: "OwnerId",
    region: "Region__c",
    absentNoDefault: "Other__c",
  });

  it("lists present and defaulted ifEmpty fields by provider name, and nothing else", () => {
    expect(
      fieldsNeedingCurrentValues({
        type: "update",
        record: { id: "1", owner: "ana", unmapped: "x" },
        writeObject,
        readObject,
      }),
    ).toEqual(["OwnerId", "Region__c"]);
  });

  it("is empty for create and delete", () => {
    const record = { id: "1", owner: "ana" };
    expect(fieldsNeedingCurrentValues({ type: "create", record, writeObject, readObject })).toEqual(
      [],
    );
    expect(fieldsNeedingCurrentValues({ type: "delete", record, writeObject, readObject })).toEqual(
      [],
    );
  });

  it("marks a pending default as such in the plan", () => {
    const plan = planWrite({ type: "update", record: { id: "1" }, writeObject, readObject });
    expect(entryFor(plan.fields, "region")).toEqual({
      field: "region",
      providerField: "Region__c",
      action: "awaitingCurrentValue",
      reason: "ifEmpty: the provider's current value is needed to decide (default pending)",
    });
  });
});

describe("mapping and unmapped fields", () => {
  const readObject = leadReadObject({ firstName: "firstname", email: "email" });
  const record = { firstName: "Harry", email: "h@example.com", shoeSize: 9 };

  it("renames mapped fields and passes unmapped ones through by default", () => {
    const plan = planWrite({
      type: "create",
      record,
      writeObject: lead({ inheritMapping: true }),
      readObject,
    });
    expect(plan.payload).toEqual({ firstname: "Harry", email: "h@example.com", shoeSize: 9 });
    expect(plan.fields).toEqual([
      {
        field: "firstName",
        providerField: "firstname",
        action: "renamed",
        reason: "mapped to firstname via read.objects.lead.selectedFieldMappings",
      },
      {
        field: "email",
        providerField: "email",
        action: "kept",
        reason: "mapped to the same name via read.objects.lead.selectedFieldMappings",
      },
      {
        field: "shoeSize",
        providerField: "shoeSize",
        action: "kept",
        reason: "unmapped; passed through unchanged",
      },
    ]);
  });

  it("drops unmapped fields when removeUnmappedFields is on", () => {
    const plan = planWrite({
      type: "create",
      record,
      writeObject: lead({ inheritMapping: true, removeUnmappedFields: true }),
      readObject,
    });
    expect(plan.payload).toEqual({ firstname: "Harry", email: "h@example.com" });
    expect(entryFor(plan.fields, "shoeSize")).toEqual({
      field: "shoeSize",
      action: "dropped",
      reason: "unmapped and removeUnmappedFields is on",
    });
  });

  it("ignores mappings and removeUnmappedFields without inheritMapping", () => {
    const plan = planWrite({
      type: "create",
      record,
      writeObject: lead({ removeUnmappedFields: true }),
      readObject,
    });
    expect(plan.payload).toEqual(record);
    expect(plan.fields.every((entry) => entry.reason === "written as sent")).toBe(true);
  });

  it("treats every field as unmapped when there is no read object", () => {
    const plan = planWrite({
      type: "create",
      record,
      writeObject: lead({ inheritMapping: true, removeUnmappedFields: true }),
    });
    expect(plan.payload).toEqual({});
    expect(plan.fields.map((entry) => entry.action)).toEqual(["dropped", "dropped", "dropped"]);
  });

  it("drops a default for an unmapped field when removeUnmappedFields is on", () => {
    const plan = planWrite({
      type: "create",
      record: {},
      writeObject: lead({
        inheritMapping: true,
        removeUnmappedFields: true,
        selectedFieldSettings: { tier: { default: { stringValue: "gold" } } },
      }),
      readObject,
    });
    expect(plan.payload).toEqual({});
    expect(entryFor(plan.fields, "tier")?.reason).toBe(
      "unmapped and removeUnmappedFields is on (default not applied)",
    );
  });

  it("only follows own keys of the mappings and settings", () => {
    const plan = planWrite({
      type: "create",
      record: { constructor: "c", toString: "t" },
      writeObject: lead({ inheritMapping: true, removeUnmappedFields: true }),
      readObject,
    });
    expect(plan.payload).toEqual({});
    expect(plan.fields.map((entry) => entry.action)).toEqual(["dropped", "dropped"]);
  });

  it("writes a __proto__ field as a plain key without touching the payload's prototype", () => {
    const record = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const plan = planWrite({ type: "create", record, writeObject: lead() });
    expect(Object.getPrototypeOf(plan.payload)).toBe(Object.prototype);
    expect(Object.keys(plan.payload)).toEqual(["__proto__"]);
    expect((plan.payload as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe("order of the steps", () => {
  it("a default on a field with writeOnCreate never is dropped on create", () => {
    const plan = planWrite({
      type: "create",
      record: {},
      writeObject: lead({
        selectedFieldSettings: {
          stage: { default: { stringValue: "new" }, writeOnCreate: "never" },
        },
      }),
    });
    expect(plan.payload).toEqual({});
    expect(plan.fields).toEqual([
      {
        field: "stage",
        providerField: "stage",
        action: "dropped",
        reason: "writeOnCreate is never (default not applied)",
      },
    ]);
  });

  it("a default on a mapped field is written under the provider's name", () => {
    const plan = planWrite({
      type: "create",
      record: {},
      writeObject: lead({
        inheritMapping: true,
        selectedFieldSettings: { tier: { default: { integerValue: 3 } } },
      }),
      readObject: leadReadObject({ tier: "Tier__c" }),
    });
    expect(plan.payload).toEqual({ Tier__c: 3 });
    expect(entryFor(plan.fields, "tier")?.action).toBe("defaulted");
  });

  it("the overwrite policy is reported before unmapped-field removal", () => {
    const plan = planWrite({
      type: "update",
      record: { id: "1", note: "x" },
      writeObject: lead({
        inheritMapping: true,
        removeUnmappedFields: true,
        selectedFieldSettings: { note: { writeOnUpdate: "never" } },
      }),
      readObject: leadReadObject({}),
    });
    expect(entryFor(plan.fields, "note")).toEqual({
      field: "note",
      action: "dropped",
      reason: "writeOnUpdate is never",
    });
  });

  it("field settings are keyed by the application's name, not the provider's", () => {
    const plan = planWrite({
      type: "update",
      record: { id: "1", customSource: "partner" },
      writeObject: lead({
        inheritMapping: true,
        selectedFieldSettings: { myCustomSource: { writeOnUpdate: "never" } },
      }),
      readObject: leadReadObject({ customSource: "myCustomSource" }),
    });
    expect(plan.payload).toEqual({ myCustomSource: "partner" });
  });
});

describe("legacy selectedValueDefaults", () => {
  const writeObject = lead({
    selectedValueDefaults: {
      source: { value: "myApp", applyOnUpdate: "never" },
      priority: { value: 2 },
      active: { value: true, applyOnUpdate: "always" },
    },
  });

  it("applies every legacy default on create", () => {
    const plan = planWrite({ type: "create", record: {}, writeObject });
    expect(plan.payload).toEqual({ source: "myApp", priority: 2, active: true });
    expect(entryFor(plan.fields, "source")).toEqual({
      field: "source",
      providerField: "source",
      action: "defaulted",
      reason: "default applied from selectedValueDefaults (legacy): field absent",
    });
  });

  it("on update, skips defaults whose applyOnUpdate is never", () => {
    const plan = planWrite({ type: "update", record: { id: "1" }, writeObject });
    expect(plan.payload).toEqual({ priority: 2, active: true });
    expect(entryFor(plan.fields, "source")).toBeUndefined();
  });

  it("on update, drops an undefined field whose only default is create-only", () => {
    const plan = planWrite({ type: "update", record: { id: "1", source: undefined }, writeObject });
    expect(plan.payload).toEqual({ priority: 2, active: true });
    expect(entryFor(plan.fields, "source")?.reason).toBe("value is undefined");
  });

  it("does not replace a present value", () => {
    const plan = planWrite({ type: "create", record: { priority: 9 }, writeObject });
    expect(plan.payload.priority).toBe(9);
  });

  it("yields to a default in selectedFieldSettings for the same field", () => {
    const plan = planWrite({
      type: "create",
      record: {},
      writeObject: lead({
        selectedFieldSettings: { source: { default: { stringValue: "modern" } } },
        selectedValueDefaults: { source: { value: "legacy" } },
      }),
    });
    expect(plan.payload).toEqual({ source: "modern" });
    expect(plan.fields).toHaveLength(1);
  });

  it("still applies when the field has settings without a default", () => {
    const plan = planWrite({
      type: "update",
      record: { id: "1" },
      writeObject: lead({
        selectedFieldSettings: { source: { writeOnCreate: "always" } },
        selectedValueDefaults: { source: { value: "legacy" } },
      }),
    });
    expect(plan.payload).toEqual({ source: "legacy" });
    expect(plan.fields).toHaveLength(1);
  });

  it("obeys the overwrite policy in selectedFieldSettings", () => {
    const plan = planWrite({
      type: "update",
      record: { id: "1" },
      writeObject: lead({
        selectedFieldSettings: { active: { writeOnUpdate: "never" } },
        selectedValueDefaults: { active: { value: true } },
      }),
    });
    expect(plan.payload).toEqual({});
    expect(entryFor(plan.fields, "active")?.reason).toBe(
      "writeOnUpdate is never (default not applied)",
    );
  });
});

describe("two fields writing one provider field", () => {
  const readObject = leadReadObject({ phone: "Phone", mobile: "Phone", region: "Region__c" });

  it("is an error when both come from the record", () => {
    const error = captureError(() =>
      planWrite({
        type: "create",
        record: { phone: "1", mobile: "2" },
        writeObject: lead({ inheritMapping: true }),
        readObject,
      }),
    );
    expect(error.code).toBe("conflicting_provider_field");
    expect(error.message).toBe("fields phone and mobile both write provider field Phone");
  });

  it("is an error when a mapped field lands on a passed-through one", () => {
    const error = captureError(() =>
      planWrite({
        type: "create",
        record: { Region__c: "x", region: "y" },
        writeObject: lead({ inheritMapping: true }),
        readObject,
      }),
    );
    expect(error.code).toBe("conflicting_provider_field");
  });

  it("lets the sent value win over a default", () => {
    const plan = planWrite({
      type: "create",
      record: { Region__c: "apac" },
      writeObject: lead({
        inheritMapping: true,
        selectedFieldSettings: { region: { default: { stringValue: "emea" } } },
      }),
      readObject,
    });
    expect(plan.payload).toEqual({ Region__c: "apac" });
    expect(entryFor(plan.fields, "region")).toEqual({
      field: "region",
      providerField: "Region__c",
      action: "dropped",
      reason: "Region__c is already set by field Region__c (default not applied)",
    });
  });

  it("is not an error when one of them was dropped by the policy", () => {
    const plan = planWrite({
      type: "update",
      record: { id: "1", phone: "1", mobile: "2" },
      writeObject: lead({
        inheritMapping: true,
        selectedFieldSettings: { mobile: { writeOnUpdate: "never" } },
      }),
      readObject,
    });
    expect(plan.payload).toEqual({ Phone: "1" });
  });
});

describe("the plan", () => {
  it("leaves the record untouched and passes values by reference", () => {
    const address = { city: "London" };
    const record = { id: "1", address };
    const snapshot = structuredClone(record);
    const plan = planWrite({
      type: "update",
      record,
      writeObject: lead({ selectedFieldSettings: { a: { default: { stringValue: "x" } } } }),
    });
    expect(record).toEqual(snapshot);
    expect(plan.payload.address).toBe(address);
  });

  it("never puts record values in reasons", () => {
    const secret = "s3cr3t-value";
    const plan = planWrite({
      type: "update",
      record: { id: "1", a: secret, b: secret, c: secret, d: secret },
      writeObject: lead({
        inheritMapping: true,
        removeUnmappedFields: true,
        selectedFieldSettings: { a: { writeOnUpdate: "never" }, b: { writeOnUpdate: "ifEmpty" } },
      }),
      readObject: leadReadObject({ b: "B", c: "C" }),
      currentRecord: { B: secret },
    });
    expect(plan.fields.map((entry) => entry.action)).toEqual([
      "dropped",
      "dropped",
      "renamed",
      "dropped",
    ]);
    expect(JSON.stringify(plan.fields)).not.toContain(secret);
  });
});
