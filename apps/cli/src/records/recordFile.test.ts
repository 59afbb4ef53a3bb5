import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRecordLines, formatOfFile, readRecordFile } from "./recordFile";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "writ-records-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("record files", () => {
  it("tells the format by extension", () => {
    expect(formatOfFile("a/contacts.JSONL")).toBe("jsonl");
    expect(formatOfFile("x.ndjson")).toBe("jsonl");
    expect(formatOfFile("x.csv")).toBe("csv");
    expect(formatOfFile("x.json")).toBeUndefined();
  });

  it("counts non-blank lines, less the CSV header", async () => {
    const jsonl = join(dir, "a.jsonl");
    await writeFile(jsonl, '{"a":1}\r\n\n  \n{"a":2}\n{"a":3}');
    expect(await countRecordLines(jsonl, "jsonl")).toBe(3);
    const csv = join(dir, "a.csv");
    await writeFile(csv, "a,b\n1,2\n\n3,4\n");
    expect(await countRecordLines(csv, "csv")).toBe(2);
  });

  it("streams a CRLF file with line numbers", async () => {
    const csv = join(dir, "b.csv");
    await writeFile(csv, "email,name\r\na@x.io,Ann\r\n\r\nb@x.io,Bob\r\n");
    const records = [];
    for await (const record of readRecordFile(csv, "csv")) records.push(record);
    expect(records).toEqual([
      { line: 2, record: { email: "a@x.io", name: "Ann" } },
      { line: 4, record: { email: "b@x.io", name: "Bob" } },
    ]);
  });
});
