import { z } from "zod";

/**
 * Installation config content, wire-compatible with Ampersand's ConfigContent
 * (specs/ampersand/config_config.yaml). Objects the spec leaves open (read filters, subscribe
 * events, ...) are kept as sent: an installation reads back exactly as it was created.
 */

const oneDefault = "a default holds exactly one of stringValue, integerValue or booleanValue";

export const fieldSettingDefaultSchema = z
  .strictObject({
    stringValue: z.string().optional(),
    integerValue: z.int().optional(),
    booleanValue: z.boolean().optional(),
  })
  .refine(
    (value) =>
      [value.stringValue, value.integerValue, value.booleanValue].filter((v) => v !== undefined)
        .length === 1,
    { message: oneDefault },
  );

export const fieldSettingSchema = z.strictObject({
  default: fieldSettingDefaultSchema.optional(),
  writeOnCreate: z.enum(["always", "never"]).optional(),
  writeOnUpdate: z.enum(["always", "never", "ifEmpty"]).optional(),
});

const legacyValueDefaultSchema = z.strictObject({
  value: z.union([z.string(), z.int(), z.boolean()]),
  applyOnUpdate: z.enum(["always", "never"]).optional(),
});

export const writeConfigObjectSchema = z.looseObject({
  objectName: z.string().min(1),
  // Ampersand accepts inheritMapping on the manifest; its seed examples also put it here.
  inheritMapping: z.boolean().optional(),
  /** Writ extension: with inheritMapping, drop record fields that have no mapping. */
  removeUnmappedFields: z.boolean().optional(),
  deletionSettings: z.strictObject({ enabled: z.boolean() }).optional(),
  selectedFieldSettings: z.record(z.string(), fieldSettingSchema).optional(),
  selectedValueDefaults: z.record(z.string(), legacyValueDefaultSchema).optional(),
});

export const readConfigObjectSchema = z.looseObject({
  objectName: z.string().min(1),
  schedule: z.string().optional(),
  destination: z.string().optional(),
  disabled: z.boolean().optional(),
  selectedFields: z.record(z.string(), z.boolean()).optional(),
  selectedFieldMappings: z.record(z.string(), z.string()).optional(),
  selectedValueMappings: z.record(z.string(), z.record(z.string(), z.string())).optional(),
});

export const subscribeConfigObjectSchema = z.looseObject({
  objectName: z.string().min(1),
  destination: z.string(),
  inheritFieldsAndMappings: z.boolean(),
});

export const configContentSchema = z
  .strictObject({
    provider: z.string().min(1),
    read: z.strictObject({ objects: z.record(z.string(), readConfigObjectSchema) }).optional(),
    write: z.strictObject({ objects: z.record(z.string(), writeConfigObjectSchema) }).optional(),
    subscribe: z
      .strictObject({ objects: z.record(z.string(), subscribeConfigObjectSchema) })
      .optional(),
    proxy: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  })
  .meta({ id: "ConfigContent" });

export type FieldSettingDefault = z.infer<typeof fieldSettingDefaultSchema>;
export type FieldSetting = z.infer<typeof fieldSettingSchema>;
export type WriteConfigObject = z.infer<typeof writeConfigObjectSchema>;
export type ReadConfigObject = z.infer<typeof readConfigObjectSchema>;
export type ConfigContent = z.infer<typeof configContentSchema>;
