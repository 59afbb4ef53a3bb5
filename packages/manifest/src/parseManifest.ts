import { isMap, LineCounter, parseDocument, type YAMLError } from "yaml";
import type { IntegrationManifest, Manifest } from "./manifest";
import { type Located, NodeReader } from "./nodeReader";
import { type ManifestProblem, ProblemCollector, type SourcePosition } from "./problems";
import { readIntegration } from "./readIntegration";
import { reportDuplicateNames } from "./reportDuplicateNames";

export const supportedSpecVersion = "1.0.0";

export interface ParseResult {
  /** Null when there is any error; warnings alone still give a manifest. */
  manifest: Manifest | null;
  /** Every error and warning, in source order. */
  problems: ManifestProblem[];
  errors: ManifestProblem[];
  warnings: ManifestProblem[];
}

/** Parses and validates an `amp.yaml`, collecting every problem rather than stopping at one. */
export function parseManifest(source: string): ParseResult {
  const problems = new ProblemCollector();
  const lines = new LineCounter();
  const document = parseDocument(source, { lineCounter: lines, keepSourceTokens: true });

  let manifest: Manifest | undefined;
  // A broken YAML tree yields misleading schema problems, so those wait until the syntax is fixed.
  if (document.errors.length === 0) {
    const reader = new NodeReader(document, lines, problems);
    manifest = readManifest(reader);
  }
  // The yaml library can report one fault several times over (once per enclosing collection).
  const reported = new Set<string>();
  for (const error of document.errors) {
    const message = yamlMessage(error);
    const position = yamlPosition(error);
    const key = `${position.line}:${position.column}:${message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    problems.error("yaml-syntax", message, [], position);
  }
  for (const warning of document.warnings) {
    problems.warning("yaml-warning", yamlMessage(warning), [], yamlPosition(warning));
  }

  const all = problems.sorted();
  const errors = all.filter((problem) => problem.severity === "error");
  return {
    manifest: errors.length === 0 && manifest !== undefined ? manifest : null,
    problems: all,
    errors,
    warnings: all.filter((problem) => problem.severity === "warning"),
  };
}

function readManifest(reader: NodeReader): Manifest | undefined {
  const root = reader.root();
  if (root === undefined) {
    reader.error("empty-manifest", "the manifest is empty; it needs specVersion and integrations", {
      node: null,
      path: [],
      offset: 0,
    });
    return undefined;
  }
  if (!isMap(root.node)) {
    reader.wrongType("a mapping with specVersion and integrations", root);
    return undefined;
  }
  const manifest = reader.mapping(root, {
    name: "the manifest",
    keys: ["specVersion", "integrations"],
    required: ["specVersion", "integrations"],
  });
  if (manifest === undefined) return undefined;
  const specVersion = readSpecVersion(reader, manifest.get("specVersion"));
  const integrations = readIntegrations(reader, manifest.get("integrations"));
  if (specVersion === undefined || integrations === undefined) return undefined;
  return { specVersion, integrations };
}

function readSpecVersion(reader: NodeReader, at: Located | undefined) {
  const specVersion = reader.string(at);
  if (specVersion === undefined || at === undefined) return undefined;
  if (specVersion === supportedSpecVersion) return supportedSpecVersion;
  reader.error(
    "unsupported-spec-version",
    `specVersion must be "${supportedSpecVersion}", got "${specVersion}"`,
    at,
  );
  return undefined;
}

function readIntegrations(
  reader: NodeReader,
  at: Located | undefined,
): IntegrationManifest[] | undefined {
  const items = reader.list(at, { nonEmpty: true, itemName: "integration" });
  if (items === undefined) return undefined;
  reportDuplicateNames(
    reader,
    items,
    "name",
    "duplicate-integration-name",
    (name, firstLine) => `integration name "${name}" is already used (line ${firstLine})`,
  );
  return items.flatMap((item) => readIntegration(reader, item) ?? []);
}

/** The yaml library's message repeats the position and appends a source excerpt; keep the gist. */
function yamlMessage(error: YAMLError): string {
  return error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
}

function yamlPosition(error: YAMLError): SourcePosition {
  const start = error.linePos?.[0] ?? { line: 1, col: 1 };
  return { line: start.line, column: start.col };
}
