import { describe, expect, it } from "vitest";
import { formatTable, formatTime, plural, truncate } from "./table";

describe("formatTable", () => {
  it("aligns columns two spaces apart, right-aligns numbers and trims line ends", () => {
    const table = formatTable(
      [{ header: "NAME" }, { header: "COUNT", align: "right" }, { header: "NOTE" }],
      [
        ["contacts", "5", ""],
        ["a", "1200", "done"],
      ],
    );
    expect(table.split("\n")).toEqual([
      "NAME      COUNT  NOTE",
      "contacts      5",
      "a          1200  done",
    ]);
  });

  it("cuts long cells and folds line breaks", () => {
    expect(formatTable([{ header: "E", maxWidth: 8 }], [["first line\nsecond line"]])).toBe(
      "E\nfirst l…",
    );
    expect(truncate("short", 8)).toBe("short");
  });

  it("counts characters, not bytes, when padding", () => {
    expect(formatTable([{ header: "A" }, { header: "B" }], [["é", "x"]]).split("\n")).toEqual([
      "A  B",
      "é  x",
    ]);
  });
});

describe("formatting helpers", () => {
  it("shortens timestamps and pluralizes", () => {
    expect(formatTime("2026-12-03T17:20:06.123Z")).toBe("2026-12-03 17:20:06Z");
    expect(formatTime(undefined)).toBe("");
    expect(plural(1, "error")).toBe("1 error");
    expect(plural(2, "warning")).toBe("2 warnings");
  });
});
