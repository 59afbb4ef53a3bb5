import type { ConfigContent } from "@writ/contracts";
import { describe, expect, it } from "vitest";
import { InvalidFieldSettingsError, writeObjectConfig } from "./writeObjectConfig";

const content: ConfigContent = {
  provider: "hubspot",
  write: {
    objects: {
      lead: { objectName: "lead", selectedFieldSettings: { source: { writeOnUpdate: "never" } } },
      contact: { objectName: "contact" },
    },
  },
  read: {
    objects: {
      lead: { objectName: "lead", selectedFieldMappings: { customSource: "myCustomSource" } },
    },
  },
};

describe("writeObjectConfig", () => {
  it("builds the PATCH body for one write object, as in Ampersand's setFieldSettings example", () => {
    const body = writeObjectConfig(content, "lead")
      .setFieldSettings({
        fieldName: "source",
        settings: { writeOnCreate: "always", writeOnUpdate: "never" },
      })
      .patchBody();
    expect(body).toEqual({
      updateMask: ["config.content.write.objects.lead"],
      installation: {
        config: {
          content: {
            write: {
              objects: {
                lead: {
                  objectName: "lead",
                  selectedFieldSettings: {
                    source: { writeOnCreate: "always", writeOnUpdate: "never" },
                  },
                },
              },
            },
          },
        },
      },
    });
  });

  it("merges settings into a field's existing ones", () => {
    const lead = writeObjectConfig(content, "lead").setFieldSettings({
      fieldName: "source",
      settings: { default: { stringValue: "myApp" } },
    });
    expect(lead.getFieldSettings("source")).toEqual({
      writeOnUpdate: "never",
      default: { stringValue: "myApp" },
    });
  });

  it("types defaults by their value", () => {
    const contact = writeObjectConfig(content, "contact")
      .setDefault({ fieldName: "source", value: "myApp" })
      .setDefault({ fieldName: "amount", value: 0 })
      .setDefault({ fieldName: "automated", value: true });
    expect(contact.get().selectedFieldSettings).toEqual({
      source: { default: { stringValue: "myApp" } },
      amount: { default: { integerValue: 0 } },
      automated: { default: { booleanValue: true } },
    });
  });

  it("replaces a previous default rather than holding two values", () => {
    const contact = writeObjectConfig(content, "contact")
      .setDefault({ fieldName: "amount", value: 1 })
      .setDefault({ fieldName: "amount", value: "one" });
    expect(contact.getFieldSettings("amount")).toEqual({ default: { stringValue: "one" } });
  });

  it("refuses settings the API would refuse", () => {
    const contact = writeObjectConfig(content, "contact");
    expect(() => contact.setDefault({ fieldName: "amount", value: 1.5 })).toThrow(
      InvalidFieldSettingsError,
    );
    expect(() =>
      contact.setFieldSettings({
        fieldName: "x",
        settings: { default: { stringValue: "a", booleanValue: true } },
      }),
    ).toThrow(/exactly one of stringValue/);
    expect(() =>
      contact.setFieldSettings({
        fieldName: "x",
        settings: { writeOnCreate: "ifEmpty" as "always" },
      }),
    ).toThrow(/field x: writeOnCreate/);
    expect(() => writeObjectConfig(content, "a.b")).toThrow(InvalidFieldSettingsError);
  });

  it("removes a default but keeps the field's other settings", () => {
    const lead = writeObjectConfig(content, "lead")
      .setDefault({ fieldName: "source", value: "x" })
      .removeDefault("source")
      .setDefault({ fieldName: "other", value: "y" })
      .removeDefault("other");
    expect(lead.get().selectedFieldSettings).toEqual({ source: { writeOnUpdate: "never" } });
  });

  it("enables deletion", () => {
    expect(
      writeObjectConfig(content, "contact").enableDeletion().patchBody().installation.config
        ?.content,
    ).toEqual({
      write: {
        objects: { contact: { objectName: "contact", deletionSettings: { enabled: true } } },
      },
    });
  });

  it("starts an object the content does not have yet, and never modifies the content given", () => {
    const before = structuredClone(content);
    const deal = writeObjectConfig(content, "deal").setDefault({
      fieldName: "stage",
      value: "new",
    });
    expect(deal.toUpdateMask()).toEqual(["config.content.write.objects.deal"]);
    const next = deal.toContent();
    expect(next.write?.objects.deal).toEqual({
      objectName: "deal",
      selectedFieldSettings: { stage: { default: { stringValue: "new" } } },
    });
    expect(next.write?.objects.lead).toEqual(content.write?.objects.lead);
    expect(next.read).toEqual(content.read);
    expect(content).toEqual(before);
  });
});
