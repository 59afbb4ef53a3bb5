import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureRun } from "../testing/captureRun";

let dir: string;

const validManifest = `specVersion: 1.0.0
integrations:
  - name: write-to-hubspot
    provider: hubspot
    write:
      objects:
        - objectName: contact
  - name: write-to-salesforce
    provider: salesforce
    write:
      objects:
        - objectName: account
`;

const withWarning = `specVersion: 1.0.0
integrations:
  - name: write-to-hubspot
    provider: hubspot
    colour: blue
    write:
      objects:
        - objectName: contact
`;

const withErrors = `specVersion: 1.0.0
integrations:
  - name: write-to-hubspot
    provider: hubspott
    colour: blue
    write:
      objects:
        - objectName: contact
  - provider: salesforce
    write:
      objects:
        - objectName: account
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "writ-validate-"));
  await writeFile(join(dir, "good.yaml"), validManifest);
  await writeFile(join(dir, "warn.yaml"), withWarning);
  await writeFile(join(dir, "bad.yaml"), withErrors);
  await writeFile(join(dir, "broken.yaml"), "specVersion: 1.0.0\nintegrations: [\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writ validate", () => {
  it("accepts a valid manifest with exit code 0 and names its integrations", async () => {
    const result = await captureRun(["validate", "good.yaml"], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      "good.yaml is valid: 2 integrations (write-to-hubspot, write-to-salesforce)\n",
    );
  });

  it("exits 0 on warnings alone, printing each one with its location", async () => {
    const result = await captureRun(["validate", "warn.yaml"], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^warn\.yaml:5:5: warning: .*colour.* \(at integrations\[0\]\.colour\)$/,
    );
    expect(lines[1]).toBe("0 errors, 1 warning");
    expect(lines[2]).toBe("warn.yaml is valid: 1 integration (write-to-hubspot)");
  });

  it("prints every problem in source order with a summary, and exits 1 on errors", async () => {
    const result = await captureRun(["validate", "bad.yaml"], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^bad\.yaml:4:15: error: .*hubspott.* \(at integrations\[0\]\.provider\)$/,
    );
    expect(lines[1]).toMatch(/^bad\.yaml:5:5: warning: /);
    expect(lines[2]).toMatch(/^bad\.yaml:9:\d+: error: .*name/);
    expect(lines[3]).toBe("2 errors, 1 warning");
  });

  it("reports YAML syntax errors with their position", async () => {
    const result = await captureRun(["validate", "broken.yaml"], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^broken\.yaml:\d+:\d+: error: /);
    expect(result.stdout).toMatch(/\n1 error, 0 warnings\n$/);
  });

  it("answers JSON with --json", async () => {
    const result = await captureRun(["validate", "bad.yaml", "--json"], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ file: "bad.yaml", valid: false, errors: 2, warnings: 1 });
    expect(body.problems[0]).toMatchObject({
      severity: "error",
      line: 4,
      column: 15,
      path: ["integrations", 0, "provider"],
    });
  });

  it("explains a missing file and exits 1", async () => {
    const result = await captureRun(["validate", "missing.yaml"], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe("error: cannot read missing.yaml: ENOENT\n");
  });

  it("is a usage error (exit 2) without a file", async () => {
    const result = await captureRun(["validate"], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("missing required argument 'manifest'");
  });
});
