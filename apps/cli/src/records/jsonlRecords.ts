import type { LineSource, SourceRecord } from "./sourceRecord";

/**
 * JSON Lines: one JSON object per line. Blank lines are skipped; a line that is not a JSON
 * object is yielded as an error with its line number, and reading goes on.
 */
export async function* readJsonlRecords(lines: LineSource): AsyncGenerator<SourceRecord> {
  let lineNumber = 0;
  for await (const rawLine of lines) {
    lineNumber++;
    const text = (lineNumber === 1 ? rawLine.replace(/^\uFEFF/, "") : rawLine).trim();
    if (text === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { line: lineNumber, error: `not valid JSON (${(error as Error).message})` };
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      yield { line: lineNumber, error: `expected a JSON object, found ${describeJsonType(value)}` };
      continue;
    }
    yield { line: lineNumber, record: value as Record<string, unknown> };
  }
}

function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
