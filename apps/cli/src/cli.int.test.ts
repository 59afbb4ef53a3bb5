import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, startStack, type TestProject, type TestStack } from "../../../test/stack";
import { captureRun } from "./testing/captureRun";

const manifest = `specVersion: 1.0.0
integrations:
  - name: crm-sync
    displayName: CRM sync
    provider: hubspot
    write:
      objects:
        - objectName: contact
`;

const badManifest = `specVersion: 1.0.0
integrations:
  - name: crm-sync
    provider: hubspott
`;

let stack: TestStack;
let project: TestProject;
let dir: string;
let env: Record<string, string>;

const writ = (...argv: string[]) => captureRun(argv, { env, cwd: dir });

beforeAll(async () => {
  stack = await startStack();
  project = await createProject(stack, "cli-tests");
  dir = await mkdtemp(join(tmpdir(), "writ-cli-"));
  await writeFile(join(dir, "amp.yaml"), manifest);
  await writeFile(join(dir, "bad.yaml"), badManifest);
  env = { WRIT_API_URL: stack.apiUrl, WRIT_API_KEY: project.apiKey };
});

afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("writ against a running Writ", () => {
  it("validates locally, good and bad", async () => {
    expect((await writ("validate", "amp.yaml")).exitCode).toBe(0);
    const bad = await writ("validate", "bad.yaml");
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain("bad.yaml:4:15: error:");
  });

  it("refuses to deploy a manifest with errors and sends nothing", async () => {
    const result = await writ("deploy", "bad.yaml");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("bad.yaml:4:15: error:");
    expect(result.stderr).toContain("nothing was deployed");
    expect((await project.request("GET", "/v1/projects/{p}/integrations")).body).toEqual([]);
  });

  it("deploys a manifest and lists each integration with its id and revision", async () => {
    const result = await writ("deploy", "amp.yaml");
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const [integration] = (await project.request("GET", "/v1/projects/{p}/integrations")).body;
    expect(result.stdout).toContain("Deployed 1 integration from amp.yaml to project cli-tests");
    expect(result.stdout).toMatch(
      new RegExp(`crm-sync\\s+hubspot\\s+${integration.id}\\s+${integration.latestRevision.id}`),
    );
  });

  it("lists integrations as a table and as JSON", async () => {
    const table = await writ("list:integrations");
    expect(table.exitCode).toBe(0);
    const [header, row] = table.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+PROVIDER\s+WRITE OBJECTS\s+REVISION\s+UPDATED$/);
    expect(row).toMatch(/crm-sync\s+hubspot\s+contact\s+/);
    const json = await writ("list:integrations", "--project", "cli-tests", "--json");
    expect(JSON.parse(json.stdout)).toMatchObject([{ name: "crm-sync", provider: "hubspot" }]);
  });

  it("lists projects: the key's own, or every one with the admin token", async () => {
    const own = await writ("list:projects", "--json");
    expect(JSON.parse(own.stdout).map((p: { name: string }) => p.name)).toEqual(["cli-tests"]);
    const created = await writ("create:project", "cli-other", "--admin-token", stack.adminToken);
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toMatch(/^Created project cli-other \(id [0-9a-f-]{36}\)\n$/);
    const all = await captureRun(["list:projects"], {
      env: { WRIT_API_URL: stack.apiUrl, WRIT_ADMIN_TOKEN: stack.adminToken },
    });
    expect(all.stdout).toMatch(/^ID\s+NAME\s+APP NAME\s+CREATED\n/);
    expect(all.stdout).toContain("cli-tests");
    expect(all.stdout).toContain("cli-other");
  });

  it("explains a missing admin token", async () => {
    const result = await writ("create:project", "cli-nope");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("error: this endpoint needs the admin token");
    expect(result.stderr).toContain(
      "hint: pass the admin token with --admin-token or WRIT_ADMIN_TOKEN",
    );
  });

  it("creates an API key, prints it alone on stdout, and the key works", async () => {
    const result = await writ("create:key", "--label", "ci");
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("Store this key now");
    const key = result.stdout.trim();
    const withNewKey = await captureRun(["list:integrations", "--json"], {
      env: { WRIT_API_URL: stack.apiUrl, WRIT_API_KEY: key },
    });
    expect(withNewKey.exitCode).toBe(0);
    expect(JSON.parse(withNewKey.stdout)).toHaveLength(1);
  });

  describe("writing records", () => {
    let failedOperationId: string;

    beforeAll(async () => {
      const connection = await project.request("POST", "/v1/projects/{p}/connections:generate", {
        groupRef: "customer-1",
        consumerRef: "user-1",
        provider: "hubspot",
        apiKey: "hubspot-token-cli-tests",
      });
      expect(connection.status).toBe(201);
      const installation = await project.request(
        "POST",
        "/v1/projects/{p}/integrations/crm-sync/installations",
        {
          groupRef: "customer-1",
          connectionId: connection.body.id,
          config: {
            content: {
              provider: "hubspot",
              write: { objects: { contact: { objectName: "contact" } } },
            },
          },
        },
      );
      expect(installation.status).toBe(201);
    });

    it("writes a 250-line JSONL file and reports the 2 bad records by line", async () => {
      const lines = Array.from({ length: 250 }, (_, index) => {
        const email =
          index === 16 || index === 199 ? `not-an-email-${index}` : `contact${index}@example.com`;
        return JSON.stringify({ email, firstname: `Contact ${index}` });
      });
      await writeFile(join(dir, "contacts.jsonl"), `${lines.join("\n")}\n`);
      const result = await writ(
        "write",
        "--integration",
        "crm-sync",
        "--object",
        "contact",
        "--group-ref",
        "customer-1",
        "--file",
        "contacts.jsonl",
      );
      expect(result.exitCode).toBe(1);
      const summary = result.stdout.split("\n");
      expect(summary[0]).toMatch(/^Done: 250 records in 3 operations, 248 ok, 2 failed \(/);
      expect(summary[1]).toBe("Failures:");
      expect(summary[2]).toMatch(/^ {2}line 17: .*not-an-email-16.* \(operation [0-9a-f-]{36}\)$/);
      expect(summary[3]).toMatch(
        /^ {2}line 200: .*not-an-email-199.* \(operation [0-9a-f-]{36}\)$/,
      );
      // Not a terminal: the progress bar printed plain lines, ending at the full count.
      expect(result.stderr).toMatch(/\[#{24}\] {2}250\/250 {2}100% .* 2 failed {2}sent 250\n$/);
      failedOperationId = /\(operation ([0-9a-f-]{36})\)/.exec(summary[2] ?? "")?.[1] ?? "";
    });

    it("shows an operation's status with each failed record", async () => {
      const result = await writ("status", failedOperationId);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(
        new RegExp(`^Operation ${failedOperationId}: (success|failure)\n`),
      );
      expect(result.stdout).toMatch(/ {2}records {3}100 total, 99 ok, 1 failed\n/);
      expect(result.stdout).toMatch(/\n\s+16\s+failure\s+.*not-an-email-16/);
      const json = JSON.parse((await writ("status", failedOperationId, "--json")).stdout);
      expect(
        json.records.filter((record: { status: string }) => record.status === "success"),
      ).toHaveLength(99);
    });

    it("lists operations, newest first", async () => {
      const result = await writ("operations", "--object", "contact");
      expect(result.exitCode).toBe(0);
      const rows = result.stdout.trimEnd().split("\n");
      expect(rows[0]).toMatch(
        /^ID\s+STATUS\s+OBJECT\s+TYPE\s+GROUP\s+OK\/FAILED\/TOTAL\s+ATTEMPTS\s+CREATED\s+RESULT$/,
      );
      expect(rows).toHaveLength(4);
      const counts = rows.slice(1).map((row) => /\s(\d+\/\d+\/\d+)\s/.exec(row)?.[1]);
      expect(counts.sort()).toEqual(["50/0/50", "99/1/100", "99/1/100"]);
      const json = JSON.parse((await writ("operations", "--json", "--limit", "2", "--all")).stdout);
      expect(json).toHaveLength(3);
      expect(json[0].createTime >= json[2].createTime).toBe(true);
    });

    it("takes a snapshot of recent operations with watch --once", async () => {
      const result = await writ("watch", "--once");
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(
        /\] {2}\d\/3 succeeded {2}0 in progress {2}\d failed {2}records 248 ok, 2 failed\n$/,
      );
    });

    it("writes a CSV asynchronously, and status --wait follows the operation to its end", async () => {
      await writeFile(
        join(dir, "contacts.csv"),
        'email,firstname,lastname\n"ann@example.com","Ann","Smith, Jr."\nbob@example.com,Bob,\n\ncy@example.com,Cy,Young\n',
      );
      const result = await writ(
        "write",
        "--json",
        "--async",
        "--integration",
        "crm-sync",
        "--object",
        "contact",
        "--group-ref",
        "customer-1",
        "--file",
        "contacts.csv",
        "--batch-size",
        "2",
      );
      expect(result.exitCode).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ read: 3, sent: 3, succeeded: 3, failed: 0, failures: [] });
      expect(summary.operationIds).toHaveLength(2);
      const status = await writ(
        "status",
        summary.operationIds[0],
        "--wait",
        "--interval",
        "0.1",
        "--json",
      );
      expect(status.exitCode).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        status: "success",
        mode: "asynchronous",
        recordCount: 2,
      });
    });

    it("watches live until interrupted", async () => {
      const interrupt = new AbortController();
      const watching = captureRun(["watch", "--interval", "0.05"], {
        env,
        cwd: dir,
        signal: interrupt.signal,
      });
      setTimeout(() => interrupt.abort(), 300);
      const result = await watching;
      expect(result.exitCode).toBe(0);
      const lines = result.stderr.trimEnd().split("\n");
      expect(lines[0]).toBe(
        "Operations of project cli-tests created in the last 15 min (Ctrl-C to stop)",
      );
      // Not a terminal: one line per change, so an idle project prints its tally once.
      expect(lines.slice(1)).toEqual([
        expect.stringMatching(
          / {2}\d\/5 succeeded {2}0 in progress {2}\d failed {2}records 251 ok, 2 failed$/,
        ),
      ]);
    });

    it("stops a write at a refusal every batch would get, and says why", async () => {
      const result = await writ(
        "write",
        "--integration",
        "crm-sync",
        "--object",
        "contact",
        "--group-ref",
        "no-such-customer",
        "--file",
        "contacts.jsonl",
      );
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toMatch(
        /^Stopped: 250 records in 0 operations, 0 ok, 0 failed \(.*\)\n250 records read but not sent\n$/,
      );
      expect(result.stderr).toContain(
        "error: integration crm-sync has no installation for groupRef no-such-customer",
      );
    });
  });

  it("reports a replay the server cannot do with the problem's detail", async () => {
    const result = await writ("replay", "0193a1f2-7c4e-7b2a-9d1e-2f3a4b5c6d7e");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: (no endpoint POST .*:replay|operation .* not found)/);
  });

  it("reports an unknown operation", async () => {
    const result = await writ("status", "0193a1f2-7c4e-7b2a-9d1e-2f3a4b5c6d7e");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe("error: operation 0193a1f2-7c4e-7b2a-9d1e-2f3a4b5c6d7e not found\n");
  });
});
