import { type LineSource, RecordFileError, type SourceRecord } from "./sourceRecord";

export interface CsvOptions {
  /** Default `,`. */
  delimiter?: string;
  /**
   * Turn unquoted `true`/`false` into booleans and unquoted numbers into numbers. Off by
   * default: CSV has no types, and a zip code like `02134` or a long ID must not lose digits.
   */
  inferTypes?: boolean;
}

interface Cell {
  text: string;
  quoted: boolean;
}

/**
 * CSV (RFC 4180): a header row names the fields, then one record per row. Quoted fields may hold
 * delimiters, doubled quotes and line breaks. An empty unquoted cell leaves the field out of the
 * record (so the installation's default applies); a quoted empty cell (`""`) sends an empty string.
 * A bad row is yielded as an error with the line it starts on, and reading goes on.
 */
export async function* readCsvRecords(
  lines: LineSource,
  options: CsvOptions = {},
): AsyncGenerator<SourceRecord> {
  const delimiter = options.delimiter ?? ",";
  if (!isUsableDelimiter(delimiter)) {
    throw new RangeError(
      `the delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  let header: string[] | undefined;
  for await (const row of csvRows(lines, delimiter)) {
    if ("error" in row) {
      yield row;
      continue;
    }
    if (header === undefined) {
      header = readHeader(row.cells, row.line);
      continue;
    }
    if (row.cells.length !== header.length) {
      yield {
        line: row.line,
        error: `expected ${header.length} fields (${header.join(", ")}), found ${row.cells.length}`,
      };
      continue;
    }
    const record: Record<string, unknown> = {};
    row.cells.forEach((cell, index) => {
      if (!cell.quoted && cell.text === "") return;
      record[header?.[index] ?? ""] =
        options.inferTypes && !cell.quoted ? inferValue(cell.text) : cell.text;
    });
    yield { line: row.line, record };
  }
}

export function isUsableDelimiter(delimiter: string): boolean {
  return delimiter.length === 1 && delimiter !== '"' && delimiter !== "\n" && delimiter !== "\r";
}

function readHeader(cells: Cell[], line: number): string[] {
  const names = cells.map((cell) => cell.text.trim());
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (name === "")
      throw new RecordFileError(line, `the header's column ${index + 1} has no name`);
    if (seen.has(name)) throw new RecordFileError(line, `the header names ${name} twice`);
    seen.add(name);
  });
  return names;
}

const numberPattern = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function inferValue(text: string): unknown {
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (numberPattern.test(text)) {
    const value = Number(text);
    // Past 2^53 a number silently changes; such values are IDs and stay text.
    if (Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value)))
      return value;
  }
  return text;
}

type CsvRow = { line: number; cells: Cell[] } | { line: number; error: string };

/** Splits lines into rows of cells, joining lines that a quoted field spans. */
async function* csvRows(lines: LineSource, delimiter: string): AsyncGenerator<CsvRow> {
  let lineNumber = 0;
  let cells: Cell[] = [];
  let cell: Cell = { text: "", quoted: false };
  let inQuotes = false;
  let startLine = 0;

  for await (const rawLine of lines) {
    lineNumber++;
    const line = lineNumber === 1 ? rawLine.replace(/^\uFEFF/, "") : rawLine;
    if (!inQuotes) {
      if (line.trim() === "") continue;
      startLine = lineNumber;
      cells = [];
      cell = { text: "", quoted: false };
    } else {
      cell.text += "\n";
    }
    let error: string | undefined;
    for (let i = 0; i < line.length && error === undefined; i++) {
      const char = line[i];
      if (inQuotes) {
        if (char !== '"') cell.text += char;
        else if (line[i + 1] === '"') {
          cell.text += '"';
          i++;
        } else {
          inQuotes = false;
          // Spaces between the closing quote and the delimiter are tolerated and dropped.
          let next = i + 1;
          while (line[next] === " " && delimiter !== " ") next++;
          const following = line[next];
          if (following !== undefined && following !== delimiter) {
            error = `unexpected ${JSON.stringify(following)} after the closing quote of field ${cells.length + 1}`;
          }
          i = next - 1;
        }
      } else if (char === delimiter) {
        cells.push(cell);
        cell = { text: "", quoted: false };
      } else if (char === '"' && cell.text.trim() === "" && !cell.quoted) {
        // Spaces before an opening quote are tolerated and dropped.
        cell = { text: "", quoted: true };
        inQuotes = true;
      } else {
        cell.text += char;
      }
    }
    if (error !== undefined) {
      // The rest of the line cannot be trusted; the next line starts a fresh row.
      inQuotes = false;
      yield { line: startLine, error };
      continue;
    }
    if (inQuotes) continue;
    cells.push(cell);
    yield { line: startLine, cells };
  }
  if (inQuotes) yield { line: startLine, error: "a quoted field is never closed" };
}
