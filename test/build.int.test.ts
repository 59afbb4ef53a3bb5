// The compiled processes (`npm run build`, what the image runs): each bundle starts on its own,
// finds what it loads at run time (npm packages, the Prisma client, the SQL migrations), and
// together they carry a write from the API through the worker to the provider.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { generateEncryptionKey } from "@writ/secrets";
import { databaseUrlFor, dropDatabase, testRedisUrl, uniqueRedisPrefix } from "@writ/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSandboxAccount,
  httpJson,
  installTarget,
  seedProject,
  singleWriteBody,
} from "../bench/seed";
import { bundle, entries } from "../scripts/build";
import { waitForValue } from "./waiting";

const root = fileURLToPath(new URL("..", import.meta.url));
const id = randomBytes(4).toString("hex");
// Inside the repository, so the bundles resolve their npm packages from its node_modules.
const outdir = `test-artifacts/build-${id}`;
const databaseName = `writ_build_${id}`;
const databaseUrl = databaseUrlFor(databaseName);
const children: ChildProcess[] = [];

const run = promisify(execFile);

/** Starts a compiled process and resolves with the first JSON log line `ready` accepts. */
async function startCompiled(
  name: string,
  env: Record<string, string>,
  ready: (entry: Record<string, unknown>) => string | undefined,
): Promise<string> {
  const child = spawn(process.execPath, [`${outdir}/${name}.mjs`], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${stderr}`)), 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${stderr}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      const url = ready(entry);
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
  });
}

beforeAll(async () => {
  const outputs = await bundle(entries, outdir);
  expect(outputs.map((output) => output.file).sort()).toEqual(
    Object.keys(entries)
      .map((name) => `${outdir}/${name}.mjs`)
      .sort(),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
  await dropDatabase(databaseName);
  rmSync(`${root}${outdir}`, { recursive: true, force: true });
});

describe("compiled processes", () => {
  it("migrate creates the database and applies prisma/migrations, then finds nothing to do", async () => {
    const env = { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl };
    const first = await run(process.execPath, [`${outdir}/migrate.mjs`], { cwd: root, env });
    expect(first.stdout).toMatch(/created, applied \d{14}_\w+/);
    const second = await run(process.execPath, [`${outdir}/migrate.mjs`], { cwd: root, env });
    expect(second.stdout).toMatch(/up to date/);
  });

  it("the API, a worker and the sandbox write a contact end to end", async () => {
    const adminToken = `build-test-admin-${id}`;
    const common = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: testRedisUrl,
      WRIT_QUEUE_PREFIX: `{${uniqueRedisPrefix("build")}}`,
      WRIT_ENCRYPTION_KEY: generateEncryptionKey(),
    };
    const sandboxUrl = await startCompiled("sandbox", { SANDBOX_PORT: "0" }, (entry) =>
      entry.msg === "sandbox listening" ? String(entry.url) : undefined,
    );
    const apiUrl = await startCompiled(
      "api",
      { ...common, PORT: "0", HOST: "127.0.0.1", WRIT_ADMIN_TOKEN: adminToken },
      (entry) => (entry.msg === "api listening" ? String(entry.url) : undefined),
    );
    await startCompiled(
      "worker",
      {
        ...common,
        WRIT_WORKER_PORT: "0",
        WRIT_PROVIDER_BASE_URL_HUBSPOT: `${sandboxUrl}/hubspot`,
        WRIT_PROVIDER_TOKEN_URL_HUBSPOT: `${sandboxUrl}/hubspot/oauth/v1/token`,
      },
      (entry) => (entry.msg === "worker started" ? String(entry.healthUrl) : undefined),
    );

    const project = await seedProject(apiUrl, adminToken, `build-${id}`);
    const account = await createSandboxAccount(sandboxUrl, { provider: "hubspot" });
    const target = await installTarget(project, "acme", account.accessToken);
    const accepted = await httpJson<{ operationId: string }>(
      "POST",
      target.writeUrl,
      JSON.parse(singleWriteBody("acme", { unique: false })),
      target.headers,
    );
    const operation = await waitForValue("the write to succeed", async () => {
      const view = await httpJson<{ status: string; records: Array<{ recordId?: string }> }>(
        "GET",
        target.operationUrlTemplate.replace("{id}", accepted.operationId),
        undefined,
        target.headers,
      );
      expect(view.status).not.toBe("failure");
      return view.status === "success" ? view : undefined;
    });
    const recordId = operation.records[0]?.recordId;
    expect(recordId).toBeDefined();
    const contact = await httpJson<{ properties: Record<string, string> }>(
      "GET",
      `${sandboxUrl}/hubspot/crm/v3/objects/contacts/${recordId}`,
      undefined,
      { Authorization: `Bearer ${account.accessToken}` },
    );
    expect(contact.properties.email).toBe("bench@example.com");
  });
});
