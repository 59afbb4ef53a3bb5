/** One record read from an input file, or why the line could not be read. */
export type SourceRecord =
  | { line: number; record: Record<string, unknown> }
  | { line: number; error: string };

/** The file cannot be read as records at all (no header, duplicate columns, ...): nothing is sent. */
export class RecordFileError extends Error {
  override readonly name = "RecordFileError";
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Text in, lines out: anything a readline interface or an array of lines can provide. */
export type LineSource = AsyncIterable<string> | Iterable<string>;
