import { describe, expect, it } from "vitest";
import { readJsonlRecords } from "./jsonlRecords";
import type { SourceRecord } from "./sourceRecord";

async function read(lines: string[]): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const record of readJsonlRecords(lines)) records.push(record);
  return records;
}

describe("readJsonlRecords", () => {
  it("reads one object per line with its line number, skipping blank lines", async () => {
    expect(
      await read(['{"email":"a@x.io","age":3}', "", "   ", '{"email":"b@x.io","vip":true}']),
    ).toEqual([
      { line: 1, record: { email: "a@x.io", age: 3 } },
      { line: 4, record: { email: "b@x.io", vip: true } },
    ]);
  });

  it("reports malformed lines and keeps reading", async () => {
    const records = await read(['{"a":1}', '{"a":', "[1,2]", "42", "null", '{"a":2}']);
    expect(records[0]).toEqual({ line: 1, record: { a: 1 } });
    expect(records[1]).toMatchObject({
      line: 2,
      error: expect.stringMatching(/^not valid JSON \(.+\)$/),
    });
    expect(records.slice(2)).toEqual([
      { line: 3, error: "expected a JSON object, found an array" },
      { line: 4, error: "expected a JSON object, found a number" },
      { line: 5, error: "expected a JSON object, found null" },
      { line: 6, record: { a: 2 } },
    ]);
  });

  it("drops a byte-order mark on the first line", async () => {
    expect(await read(['\uFEFF{"a":1}'])).toEqual([{ line: 1, record: { a: 1 } }]);
  });
});
