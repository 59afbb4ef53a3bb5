import { WritApiError, WritConnectionError } from "@writ/sdk";
import { describe, expect, it } from "vitest";
import { formatErrorReport } from "./errorReport";

const deployProblem = new WritApiError({
  type: "urn:writ:problem:unprocessable",
  title: "Unprocessable request",
  status: 422,
  detail: "the manifest has 1 error(s); nothing was deployed",
  issues: [
    {
      in: "body",
      name: "sourceYaml:4:15",
      detail: "integrations[0].provider: unknown provider",
      line: 4,
      column: 15,
      severity: "error",
    },
    {
      in: "body",
      name: "sourceYaml:5:5",
      detail: "integrations[0].colour: unknown key",
      line: 5,
      column: 5,
      severity: "warning",
    },
  ],
});

describe("formatErrorReport", () => {
  it("prints issues with a line as file:line:col when the source file is known", () => {
    expect(formatErrorReport(deployProblem, { sourceFile: "amp.yaml" })).toBe(
      [
        "error: the manifest has 1 error(s); nothing was deployed",
        "  amp.yaml:4:15: error: integrations[0].provider: unknown provider",
        "  amp.yaml:5:5: warning: integrations[0].colour: unknown key",
      ].join("\n"),
    );
  });

  it("prints other issues by where they are in the request", () => {
    const error = new WritApiError({
      type: "urn:writ:problem:validation",
      title: "Invalid request",
      status: 400,
      detail: "the request is not valid",
      issues: [{ in: "body", name: "batch[2].record.id", detail: "required for update" }],
    });
    expect(formatErrorReport(error)).toBe(
      "error: the request is not valid\n  body batch[2].record.id: required for update",
    );
  });

  it("hints at the missing credential", () => {
    const apiKeyNeeded = new WritApiError({
      type: "urn:writ:problem:unauthenticated",
      title: "Unauthenticated",
      status: 401,
      detail: "this endpoint needs an API key (X-Api-Key header)",
    });
    expect(formatErrorReport(apiKeyNeeded)).toBe(
      "error: this endpoint needs an API key (X-Api-Key header)\nhint: pass a project API key with --key or WRIT_API_KEY",
    );
  });

  it("names the request of a server error, for the logs", () => {
    const error = new WritApiError({
      type: "t",
      title: "Internal error",
      status: 500,
      detail: "boom",
      requestId: "req-1",
    });
    expect(formatErrorReport(error)).toBe("error: boom\nrequest id: req-1");
  });

  it("suggests checking the URL when the API cannot be reached", () => {
    const error = new WritConnectionError("http://127.0.0.1:3000", new Error("fetch failed"));
    expect(formatErrorReport(error)).toBe(
      "error: could not reach Writ at http://127.0.0.1:3000: fetch failed\nhint: is the API running? Point the CLI at it with --url or WRIT_API_URL.",
    );
  });
});
