import { describe, expect, it } from "vitest";
import { readCsvRecords } from "./csvRecords";
import type { SourceRecord } from "./sourceRecord";

async function read(
  text: string,
  options: Parameters<typeof readCsvRecords>[1] = {},
): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const record of readCsvRecords(text.split(/\r?\n/), options)) records.push(record);
  return records;
}

describe("readCsvRecords", () => {
  it("names fields by the header and numbers records by their line", async () => {
    expect(await read("email,firstname\na@x.io,Ann\nb@x.io,Bob\n")).toEqual([
      { line: 2, record: { email: "a@x.io", firstname: "Ann" } },
      { line: 3, record: { email: "b@x.io", firstname: "Bob" } },
    ]);
  });

  it("handles quoted fields with delimiters, doubled quotes and line breaks", async () => {
    const text = [
      "name,note",
      '"Smith, Ann","said ""hi"""',
      '"Bob","two',
      'lines"',
      "Cy,plain",
    ].join("\n");
    expect(await read(text)).toEqual([
      { line: 2, record: { name: "Smith, Ann", note: 'said "hi"' } },
      { line: 3, record: { name: "Bob", note: "two\nlines" } },
      { line: 5, record: { name: "Cy", note: "plain" } },
    ]);
  });

  it("skips blank lines, keeping the line numbers of the file", async () => {
    expect(await read("\nemail\n\n  \na@x.io\n\n")).toEqual([
      { line: 5, record: { email: "a@x.io" } },
    ]);
  });

  it("leaves out empty cells but sends quoted empty ones", async () => {
    expect(await read('a,b,c\n1,,""')).toEqual([{ line: 2, record: { a: "1", c: "" } }]);
  });

  it("keeps every value a string unless types are inferred, and then only unquoted ones", async () => {
    const text = 'zip,count,ok,price,quoted,big\n02134,12,true,-1.5,"7",12345678901234567890';
    expect(await read(text)).toEqual([
      {
        line: 2,
        record: {
          zip: "02134",
          count: "12",
          ok: "true",
          price: "-1.5",
          quoted: "7",
          big: "12345678901234567890",
        },
      },
    ]);
    expect(await read(text, { inferTypes: true })).toEqual([
      {
        line: 2,
        record: {
          zip: "02134",
          count: 12,
          ok: true,
          price: -1.5,
          quoted: "7",
          big: "12345678901234567890",
        },
      },
    ]);
  });

  it("reports rows with the wrong number of fields and goes on", async () => {
    expect(await read("a,b\n1,2,3\n4\n5,6")).toEqual([
      { line: 2, error: "expected 2 fields (a, b), found 3" },
      { line: 3, error: "expected 2 fields (a, b), found 1" },
      { line: 4, record: { a: "5", b: "6" } },
    ]);
  });

  it("reports text after a closing quote and resumes on the next line", async () => {
    expect(await read('a,b\n"x"y,2\n"ok" ,3')).toEqual([
      { line: 2, error: 'unexpected "y" after the closing quote of field 1' },
      { line: 3, record: { a: "ok", b: "3" } },
    ]);
  });

  it("reports a quoted field that never closes at the line it starts on", async () => {
    expect(await read('a,b\n1,2\n3,"never\nclosed')).toEqual([
      { line: 2, record: { a: "1", b: "2" } },
      { line: 3, error: "a quoted field is never closed" },
    ]);
  });

  it("refuses a header with an empty or repeated name", async () => {
    await expect(read("a,,c\n1,2,3")).rejects.toThrow("line 1: the header's column 2 has no name");
    await expect(read("\na,b,a\n1,2,3")).rejects.toThrow("line 2: the header names a twice");
  });

  it("drops a byte-order mark and honours another delimiter", async () => {
    expect(await read("\uFEFFemail;name\na@x.io;Ann", { delimiter: ";" })).toEqual([
      { line: 2, record: { email: "a@x.io", name: "Ann" } },
    ]);
  });
});
