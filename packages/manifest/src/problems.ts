export type ProblemPath = (string | number)[];

export type ProblemSeverity = "error" | "warning";

/** Stable identifiers: the CLI, the API and tests match on these, never on the message. */
export type ManifestProblemCode =
  | "yaml-syntax"
  | "yaml-warning"
  | "empty-manifest"
  | "wrong-type"
  | "missing-key"
  | "unknown-key"
  | "empty-string"
  | "empty-list"
  | "invalid-value"
  | "out-of-range"
  | "unsupported-spec-version"
  | "unknown-provider"
  | "duplicate-integration-name"
  | "duplicate-object-name"
  | "integration-without-actions"
  | "field-without-name"
  | "invalid-schedule"
  | "schedule-too-frequent";

export interface ManifestProblem {
  severity: ProblemSeverity;
  code: ManifestProblemCode;
  message: string;
  /** Where the problem is in the manifest, e.g. ["integrations", 0, "write", "objects", 1]. */
  path: ProblemPath;
  /** 1-based, of the offending node (of the enclosing mapping when a key is missing). */
  line: number;
  column: number;
}

export interface SourcePosition {
  line: number;
  column: number;
}

export class ProblemCollector {
  readonly #problems: ManifestProblem[] = [];

  error(code: ManifestProblemCode, message: string, path: ProblemPath, at: SourcePosition): void {
    this.#problems.push({ severity: "error", code, message, path, ...at });
  }

  warning(code: ManifestProblemCode, message: string, path: ProblemPath, at: SourcePosition): void {
    this.#problems.push({ severity: "warning", code, message, path, ...at });
  }

  /** In source order, so a reader sees them top to bottom. */
  sorted(): ManifestProblem[] {
    return [...this.#problems].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}
