import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
} from "yaml";
import { closestName } from "./closestName";
import type {
  ManifestProblemCode,
  ProblemCollector,
  ProblemPath,
  SourcePosition,
} from "./problems";

/** A node of the document, with its path and the source offset problems about it point at. */
export interface Located {
  /** Aliases already resolved; null for a key written with no value at all. */
  readonly node: Node | null;
  readonly path: ProblemPath;
  readonly offset: number;
}

export interface MappingShape<Key extends string> {
  /** How problems name the mapping: "an integration", "a write object". */
  readonly name: string;
  readonly keys: readonly Key[];
  readonly required?: readonly Key[];
}

export class LocatedMapping<Key extends string> {
  constructor(
    readonly at: Located,
    private readonly entries: ReadonlyMap<Key, Located>,
  ) {}

  get(key: Key): Located | undefined {
    return this.entries.get(key);
  }

  has(key: Key): boolean {
    return this.entries.has(key);
  }
}

/**
 * Reads typed values out of YAML nodes, reporting every mismatch to the collector and carrying
 * on. Each reader takes `undefined` (the key was absent) and gives `undefined` back, and gives
 * `undefined` for a value it reported, so callers can read every key before deciding anything.
 */
export class NodeReader {
  constructor(
    private readonly document: Document,
    private readonly lines: LineCounter,
    private readonly problems: ProblemCollector,
  ) {}

  root(): Located | undefined {
    const contents = this.document.contents;
    if (contents === null) return undefined;
    return this.locate(contents, [], 0);
  }

  positionOf(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  error(code: ManifestProblemCode, message: string, at: Located): void {
    this.problems.error(code, message, at.path, this.positionOf(at.offset));
  }

  warning(code: ManifestProblemCode, message: string, at: Located): void {
    this.problems.warning(code, message, at.path, this.positionOf(at.offset));
  }

  /** Unknown keys are warnings: newer manifests may carry keys this version does not know. */
  mapping<Key extends string>(
    at: Located | undefined,
    shape: MappingShape<Key>,
  ): LocatedMapping<Key> | undefined {
    if (at === undefined) return undefined;
    if (!isMap(at.node)) {
      this.wrongType("a mapping", at);
      return undefined;
    }
    const entries = new Map<Key, Located>();
    for (const pair of at.node.items) {
      const keyOffset = sourceStart(pair.key) ?? at.offset;
      const keyName = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (keyName !== undefined && isOneOf(shape.keys, keyName)) {
        entries.set(keyName, this.locate(pair.value, [...at.path, keyName], keyOffset));
        continue;
      }
      const keyAt: Located = {
        node: null,
        path: keyName === undefined ? at.path : [...at.path, keyName],
        offset: keyOffset,
      };
      this.warning("unknown-key", unknownKeyMessage(keyName, shape), keyAt);
    }
    for (const key of shape.required ?? []) {
      if (!entries.has(key)) {
        const missingAt: Located = { node: null, path: [...at.path, key], offset: at.offset };
        this.error("missing-key", `${shape.name} needs "${key}"`, missingAt);
      }
    }
    return new LocatedMapping(at, entries);
  }

  list(
    at: Located | undefined,
    options: { nonEmpty?: boolean; itemName: string } = { itemName: "item" },
  ): Located[] | undefined {
    if (at === undefined) return undefined;
    if (!isSeq(at.node)) {
      this.wrongType("a list", at);
      return undefined;
    }
    if (options.nonEmpty && at.node.items.length === 0) {
      this.error("empty-list", `expected at least one ${options.itemName}, got an empty list`, at);
      return undefined;
    }
    return at.node.items.map((item, index) =>
      this.locate(item, [...at.path, index], sourceStart(item) ?? at.offset),
    );
  }

  string(at: Located | undefined, options: { nonEmpty?: boolean } = {}): string | undefined {
    if (at === undefined) return undefined;
    const value = scalarValue(at.node);
    if (typeof value !== "string") {
      this.wrongType("a string", at);
      return undefined;
    }
    if (options.nonEmpty && value.trim() === "") {
      this.error("empty-string", "expected a non-empty string", at);
      return undefined;
    }
    return value;
  }

  stringList(at: Located | undefined, itemName: string): string[] | undefined {
    const items = this.list(at, { itemName });
    if (items === undefined) return undefined;
    const strings = items.map((item) => this.string(item, { nonEmpty: true }));
    return strings.every((value) => value !== undefined) ? strings : undefined;
  }

  boolean(at: Located | undefined): boolean | undefined {
    if (at === undefined) return undefined;
    const value = scalarValue(at.node);
    if (typeof value !== "boolean") {
      this.wrongType("a boolean (true or false)", at);
      return undefined;
    }
    return value;
  }

  integer(
    at: Located | undefined,
    range: { minimum?: number; maximum?: number } = {},
  ): number | undefined {
    if (at === undefined) return undefined;
    const value = scalarValue(at.node);
    if (typeof value !== "number" || !Number.isInteger(value)) {
      this.wrongType("an integer", at);
      return undefined;
    }
    const { minimum = Number.NEGATIVE_INFINITY, maximum = Number.POSITIVE_INFINITY } = range;
    if (value < minimum || value > maximum) {
      this.error("out-of-range", `expected ${describeRange(minimum, maximum)}, got ${value}`, at);
      return undefined;
    }
    return value;
  }

  oneOf<Allowed extends string>(
    at: Located | undefined,
    allowed: readonly Allowed[],
  ): Allowed | undefined {
    const value = this.string(at);
    if (value === undefined || at === undefined) return undefined;
    if (isOneOf(allowed, value)) return value;
    const choices = allowed.map((choice) => JSON.stringify(choice)).join(", ");
    this.error("invalid-value", `expected one of ${choices}, got ${JSON.stringify(value)}`, at);
    return undefined;
  }

  /**
   * A string under `key` of a mapping, without reporting anything: for checks across siblings
   * (duplicate names) whose type problems the item's own reader already reports.
   */
  peekString(at: Located, key: string): { value: string; at: Located } | undefined {
    if (!isMap(at.node)) return undefined;
    const pair = at.node.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (pair === undefined) return undefined;
    const valueAt = this.locate(pair.value, [...at.path, key], sourceStart(pair.key) ?? at.offset);
    const value = scalarValue(valueAt.node);
    return typeof value === "string" ? { value, at: valueAt } : undefined;
  }

  wrongType(expected: string, at: Located): void {
    this.error("wrong-type", `expected ${expected}, got ${describeNode(at.node)}`, at);
  }

  /**
   * Points at the value when it is written out, else at its key: `objects:` with nothing after
   * it has an empty node positioned at the end of the line.
   */
  private locate(value: unknown, path: ProblemPath, fallbackOffset: number): Located {
    const range = isNode(value) ? value.range : undefined;
    const offset = range && range[1] > range[0] ? range[0] : fallbackOffset;
    const node = isAlias(value)
      ? (value.resolve(this.document) ?? null)
      : isNode(value)
        ? value
        : null;
    return { node, path, offset };
  }
}

function sourceStart(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

function scalarValue(node: Node | null): unknown {
  return isScalar(node) ? node.value : undefined;
}

function isOneOf<Allowed extends string>(
  allowed: readonly Allowed[],
  value: string,
): value is Allowed {
  return (allowed as readonly string[]).includes(value);
}

function unknownKeyMessage(keyName: string | undefined, shape: MappingShape<string>): string {
  if (keyName === undefined) return `${shape.name} only takes string keys; this one is ignored`;
  const suggestion = closestName(keyName, shape.keys);
  const hint = suggestion
    ? `did you mean "${suggestion}"?`
    : `known keys: ${shape.keys.join(", ")}`;
  return `unknown key "${keyName}" in ${shape.name} is ignored (${hint})`;
}

function describeRange(minimum: number, maximum: number): string {
  if (Number.isFinite(minimum) && Number.isFinite(maximum)) {
    return `a number from ${minimum} to ${maximum}`;
  }
  return Number.isFinite(minimum)
    ? `a number of at least ${minimum}`
    : `a number of at most ${maximum}`;
}

function describeNode(node: Node | null): string {
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  const value = scalarValue(node);
  switch (typeof value) {
    case "string":
      return `a string (${JSON.stringify(truncate(value))})`;
    case "number":
      // As written: `1.0` is the number 1 once parsed, and "got a number (1)" would puzzle.
      return `a number (${(isScalar(node) && node.source) || value})`;
    case "boolean":
      return `a boolean (${value})`;
    default:
      return value === null || value === undefined ? "an empty value" : "a value of another type";
  }
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}...` : value;
}
