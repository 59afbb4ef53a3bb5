import {
  type ConfigContent,
  type FieldSetting,
  type FieldSettingDefault,
  fieldSettingSchema,
  type WriteConfigObject,
} from "@writ/contracts";
import type { UpdateInstallationRequest } from "./requests";

/** A field setting was refused before reaching the API (e.g. a default with two values). */
export class InvalidFieldSettingsError extends Error {
  override readonly name = "InvalidFieldSettingsError";
}

export interface FieldSettingsInput {
  /** The name the application sends (the `mapToName` when the object inherits mappings). */
  fieldName: string;
  settings: FieldSetting;
}

export interface FieldDefaultInput {
  fieldName: string;
  /** A string, an integer or a boolean; stored as `stringValue`, `integerValue` or `booleanValue`. */
  value: string | number | boolean;
}

/**
 * A draft of one write object's settings in an installation's config, Ampersand's headless
 * `config.writeObject(name)` without React: change it, then send `patchBody()` to
 * `updateInstallation`. The content passed in is never modified.
 */
export interface WriteObjectConfig {
  readonly objectName: string;
  /** The draft write object, as it would be stored. */
  get(): WriteConfigObject;
  getFieldSettings(fieldName: string): FieldSetting | undefined;
  /**
   * Merges `settings` into the field's current settings: keys left out keep their value,
   * a `default` replaces the previous default entirely.
   */
  setFieldSettings(input: FieldSettingsInput): WriteObjectConfig;
  /** The value a field gets when a write leaves it out. */
  setDefault(input: FieldDefaultInput): WriteObjectConfig;
  removeDefault(fieldName: string): WriteObjectConfig;
  removeFieldSettings(fieldName: string): WriteObjectConfig;
  /** Writes of type `delete` are refused for an object until its installation enables them. */
  enableDeletion(): WriteObjectConfig;
  disableDeletion(): WriteObjectConfig;
  /** The installation's whole content with this object's draft in place. */
  toContent(): ConfigContent;
  /** `["config.content.write.objects.<objectName>"]`: the one path a PATCH of this object changes. */
  toUpdateMask(): string[];
  /** The body of `PATCH .../installations/{id}` that stores this object's draft and nothing else. */
  patchBody(): UpdateInstallationRequest;
}

export function writeObjectConfig(
  content: ConfigContent | undefined,
  objectName: string,
): WriteObjectConfig {
  if (objectName === "" || objectName.includes(".")) {
    // An update mask addresses the object as a dotted path segment.
    throw new InvalidFieldSettingsError(
      `object name ${JSON.stringify(objectName)} cannot be addressed in an update mask`,
    );
  }
  const base: ConfigContent = structuredClone(content ?? { provider: "" });
  const draft: WriteConfigObject = structuredClone(
    base.write?.objects[objectName] ?? { objectName },
  );

  const fieldSettings = (): Record<string, FieldSetting> => {
    draft.selectedFieldSettings ??= {};
    return draft.selectedFieldSettings;
  };
  const setSettings = (fieldName: string, settings: FieldSetting) => {
    if (fieldName === "") throw new InvalidFieldSettingsError("fieldName is required");
    const parsed = fieldSettingSchema.safeParse(settings);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) =>
        issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
      );
      throw new InvalidFieldSettingsError(`field ${fieldName}: ${reasons.join("; ")}`);
    }
    fieldSettings()[fieldName] = parsed.data;
  };

  const config: WriteObjectConfig = {
    objectName,
    get: () => structuredClone(draft),
    getFieldSettings: (fieldName) => {
      const settings = draft.selectedFieldSettings?.[fieldName];
      return settings ? structuredClone(settings) : undefined;
    },
    setFieldSettings({ fieldName, settings }) {
      const current = draft.selectedFieldSettings?.[fieldName] ?? {};
      setSettings(fieldName, dropUndefined({ ...current, ...settings }));
      return config;
    },
    setDefault({ fieldName, value }) {
      const current = draft.selectedFieldSettings?.[fieldName] ?? {};
      setSettings(fieldName, { ...current, default: typedDefault(fieldName, value) });
      return config;
    },
    removeDefault(fieldName) {
      const current = draft.selectedFieldSettings?.[fieldName];
      if (current?.default === undefined) return config;
      const { default: _removed, ...rest } = current;
      if (Object.keys(rest).length === 0) return config.removeFieldSettings(fieldName);
      fieldSettings()[fieldName] = rest;
      return config;
    },
    removeFieldSettings(fieldName) {
      if (draft.selectedFieldSettings) {
        delete draft.selectedFieldSettings[fieldName];
      }
      return config;
    },
    enableDeletion() {
      draft.deletionSettings = { enabled: true };
      return config;
    },
    disableDeletion() {
      draft.deletionSettings = { enabled: false };
      return config;
    },
    toContent() {
      const next = structuredClone(base);
      next.write = { objects: { ...next.write?.objects, [objectName]: structuredClone(draft) } };
      return next;
    },
    toUpdateMask: () => [`config.content.write.objects.${objectName}`],
    patchBody: () => ({
      updateMask: config.toUpdateMask(),
      installation: {
        config: { content: { write: { objects: { [objectName]: structuredClone(draft) } } } },
      },
    }),
  };
  return config;
}

function typedDefault(fieldName: string, value: string | number | boolean): FieldSettingDefault {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { booleanValue: value };
  if (!Number.isSafeInteger(value)) {
    throw new InvalidFieldSettingsError(
      `field ${fieldName}: a default number must be an integer, got ${value}`,
    );
  }
  return { integerValue: value };
}

function dropUndefined(settings: FieldSetting): FieldSetting {
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as FieldSetting;
}
