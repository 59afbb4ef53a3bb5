import type { FieldSetting } from "./types";

export interface FieldSettingsIssue {
  /** Relative to the settings map, e.g. `source.default`; prefix it with where the map lives. */
  path: string;
  message: string;
}

const DEFAULT_KINDS = ["stringValue", "integerValue", "booleanValue"] as const;
const WRITE_ON_CREATE = ["always", "never"];
const WRITE_ON_UPDATE = ["always", "never", "ifEmpty"];

/**
 * Every problem in a `selectedFieldSettings` map, worded for the customer's admin, so a UI can
 * show them all at once. Accepts unchecked JSON: the declared type is what valid input looks like.
 * An empty array means `planWrite` will read the settings exactly as written.
 */
export function validateFieldSettings(
  settings: Record<string, FieldSetting>,
): FieldSettingsIssue[] {
  const issues: FieldSettingsIssue[] = [];
  if (!isObject(settings)) {
    return [{ path: "", message: "field settings must be an object keyed by field name" }];
  }
  for (const [field, setting] of Object.entries(settings as Record<string, unknown>)) {
    if (!isObject(setting)) {
      issues.push({ path: field, message: `settings for ${field} must be an object` });
      continue;
    }
    if (setting.default !== undefined) {
      validateDefault(`${field}.default`, setting.default, issues);
    }
    validateChoice(`${field}.writeOnCreate`, setting.writeOnCreate, WRITE_ON_CREATE, issues);
    validateChoice(`${field}.writeOnUpdate`, setting.writeOnUpdate, WRITE_ON_UPDATE, issues);
  }
  return issues;
}

function validateDefault(path: string, value: unknown, issues: FieldSettingsIssue[]): void {
  if (!isObject(value)) {
    issues.push({
      path,
      message: "default must be an object with one of stringValue, integerValue or booleanValue",
    });
    return;
  }
  for (const key of Object.keys(value)) {
    if (!(DEFAULT_KINDS as readonly string[]).includes(key)) {
      issues.push({
        path: `${path}.${key}`,
        message: `unknown key ${key}; use stringValue, integerValue or booleanValue`,
      });
    }
  }
  const present = DEFAULT_KINDS.filter((kind) => value[kind] !== undefined);
  if (present.length !== 1) {
    issues.push({
      path,
      message:
        present.length === 0
          ? "default must set one of stringValue, integerValue or booleanValue"
          : `default must set exactly one of stringValue, integerValue or booleanValue, not ${present.join(" and ")}`,
    });
  }
  if (value.stringValue !== undefined && typeof value.stringValue !== "string") {
    issues.push({ path: `${path}.stringValue`, message: "stringValue must be a string" });
  }
  if (value.integerValue !== undefined && !Number.isSafeInteger(value.integerValue)) {
    issues.push({ path: `${path}.integerValue`, message: "integerValue must be an integer" });
  }
  if (value.booleanValue !== undefined && typeof value.booleanValue !== "boolean") {
    issues.push({
      path: `${path}.booleanValue`,
      message: "booleanValue must be true or false",
    });
  }
}

function validateChoice(
  path: string,
  value: unknown,
  allowed: readonly string[],
  issues: FieldSettingsIssue[],
): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !allowed.includes(value)) {
    const last = allowed[allowed.length - 1];
    const choices = `${allowed.slice(0, -1).join(", ")} or ${last}`;
    issues.push({ path, message: `${path.split(".").pop()} must be ${choices}` });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
