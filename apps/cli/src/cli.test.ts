import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureRun } from "./testing/captureRun";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "writ-cli-usage-"));
  await writeFile(join(dir, "records.json"), "{}\n");
  await writeFile(join(dir, "records.csv"), "a\n1\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fetch that fails the test if a command reaches the network when it should not. */
const noNetwork = (async () => {
  throw new Error("no request was expected");
}) as unknown as typeof fetch;

const writ = (argv: string[], env: Record<string, string> = {}) =>
  captureRun(argv, { env, cwd: dir, fetch: noNetwork });

const writeArgs = [
  "write",
  "--integration",
  "i",
  "--object",
  "contact",
  "--group-ref",
  "g",
  "--project",
  "p",
];

describe("writ usage", () => {
  it("prints help with examples and exits 0", async () => {
    const result = await writ(["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Usage: writ [options] [command]");
    expect(result.stdout).toContain("$ writ deploy amp.yaml");
    const commandHelp = await writ(["operations", "--help"]);
    expect(commandHelp.exitCode).toBe(0);
    expect(commandHelp.stdout).toContain("$ writ operations --status failure");
  });

  it("exits 2 on an unknown command or a bad option value", async () => {
    const unknown = await writ(["deplyo"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'deplyo'");
    const badStatus = await writ(["operations", "--status", "done"]);
    expect(badStatus.exitCode).toBe(2);
    expect(badStatus.stderr).toContain("expected one of in_progress, success, failure");
    const badUrl = await writ(["list:projects", "--url", "ftp://x"]);
    expect(badUrl.exitCode).toBe(2);
    const badBatch = await writ([...writeArgs, "--file", "records.csv", "--batch-size", "101"]);
    expect(badBatch.exitCode).toBe(2);
    expect(badBatch.stderr).toContain("a batch holds at most 100 records");
    const badDelimiter = await writ([...writeArgs, "--file", "records.csv", "--delimiter", '"']);
    expect(badDelimiter.exitCode).toBe(2);
  });

  it("refuses an invalid environment before doing anything", async () => {
    const result = await writ(["list:projects"], { WRIT_API_URL: "not a url" });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^error: invalid environment:\n {2}WRIT_API_URL: /);
  });

  it("asks for a project when neither --project nor a key says which", async () => {
    const result = await writ(["list:integrations"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      "error: name the project with --project <idOrName> (or WRIT_PROJECT), or pass its API key with --key\n",
    );
  });

  it("refuses a records file whose format it cannot tell", async () => {
    const result = await writ([...writeArgs, "--file", "records.json"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      "cannot tell the format of records.json; name it .jsonl or .csv, or pass --format",
    );
  });
});
