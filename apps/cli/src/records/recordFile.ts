import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { type CsvOptions, readCsvRecords } from "./csvRecords";
import { readJsonlRecords } from "./jsonlRecords";
import type { SourceRecord } from "./sourceRecord";

export type RecordFormat = "jsonl" | "csv";

const formatsByExtension: Record<string, RecordFormat> = {
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".csv": "csv",
};

/** The format a file's extension implies, or undefined when it implies none. */
export function formatOfFile(path: string): RecordFormat | undefined {
  return formatsByExtension[extname(path).toLowerCase()];
}

/** Streams a file's records without holding it in memory. */
export function readRecordFile(
  path: string,
  format: RecordFormat,
  csv: CsvOptions = {},
): AsyncIterable<SourceRecord> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  return format === "csv" ? readCsvRecords(lines, csv) : readJsonlRecords(lines);
}

/** Beyond this size a counting pass costs more than a known total is worth. */
const countableBytes = 256 * 1024 * 1024;

/**
 * How many records the file holds, for the progress bar: lines that are not blank, less the CSV
 * header. An estimate when quoted CSV fields span lines; undefined for files too large to count.
 */
export async function countRecordLines(
  path: string,
  format: RecordFormat,
): Promise<number | undefined> {
  const info = await stat(path);
  if (!info.isFile() || info.size > countableBytes) return undefined;
  let count = 0;
  let lineHasText = false;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (byte === 0x0a) {
        if (lineHasText) count++;
        lineHasText = false;
      } else if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) {
        lineHasText = true;
      }
    }
  }
  if (lineHasText) count++;
  return format === "csv" ? Math.max(0, count - 1) : count;
}
