import { describe, expect, it } from "vitest";
import { formatPath, formatProblem } from "./formatProblem";
import type { ManifestProblem } from "./problems";

describe("formatPath", () => {
  it("joins keys with dots and puts indexes in brackets", () => {
    expect(formatPath(["integrations", 0, "write", "objects", 1, "objectName"])).toBe(
      "integrations[0].write.objects[1].objectName",
    );
  });

  it("quotes keys that are not plain names", () => {
    expect(formatPath(["integrations", 2, "my key", "a.b"])).toBe(
      'integrations[2]["my key"]["a.b"]',
    );
  });

  it("is empty for the document itself", () => {
    expect(formatPath([])).toBe("");
  });
});

describe("formatProblem", () => {
  const problem: ManifestProblem = {
    severity: "error",
    code: "wrong-type",
    message: "expected a string, got a number (3)",
    path: ["integrations", 0, "write", "objects", 1, "objectName"],
    line: 12,
    column: 5,
  };

  it("prints file:line:column, severity, message and path", () => {
    expect(formatProblem(problem, "amp.yaml")).toBe(
      "amp.yaml:12:5: error: expected a string, got a number (3) " +
        "(at integrations[0].write.objects[1].objectName)",
    );
  });

  it("leaves the path out for problems about the whole document", () => {
    const syntax: ManifestProblem = {
      ...problem,
      severity: "warning",
      path: [],
      message: "odd",
      line: 1,
      column: 1,
    };
    expect(formatProblem(syntax, "infra/amp.yaml")).toBe("infra/amp.yaml:1:1: warning: odd");
  });
});
