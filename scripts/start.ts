// `npm start`: the whole of Writ on this machine, for local use. Migrates the database, starts
// the sandbox (standing in for HubSpot and Salesforce), the API and a worker as child processes,
// seeds a demo project wired to the sandbox, and prints a write you can paste into a shell.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { migrate, redactUrl } from "@writ/db";
import { loadOrCreateDevEncryptionKey } from "@writ/secrets";

const env = {
  PORT: process.env.PORT ?? "3000",
  SANDBOX_PORT: process.env.SANDBOX_PORT ?? "4010",
  DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/writ",
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  WRIT_ADMIN_TOKEN: process.env.WRIT_ADMIN_TOKEN ?? "writ-local-admin-token",
  WRIT_ENCRYPTION_KEY:
    process.env.WRIT_ENCRYPTION_KEY ?? loadOrCreateDevEncryptionKey(".writ/encryption-key"),
};
const apiUrl = `http://127.0.0.1:${env.PORT}`;
const sandboxUrl = `http://127.0.0.1:${env.SANDBOX_PORT}`;
const children: ChildProcess[] = [];

function log(message: string): void {
  console.log(`[start] ${message}`);
}

function launch(name: string, entry: string, extraEnv: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { ...process.env, ...env, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => console.log(`[${name}] ${line}`));
  }
  child.on("exit", (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHealth(name: string, url: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return parsed;
}

const demoManifest = `specVersion: 1.0.0
integrations:
  - name: hubspot-demo
    displayName: HubSpot (sandbox)
    provider: hubspot
    write:
      objects:
        - objectName: contact
        - objectName: company
  - name: salesforce-demo
    displayName: Salesforce (sandbox)
    provider: salesforce
    write:
      objects:
        - objectName: contact
        - objectName: account
`;

interface DemoState {
  projectId: string;
  apiKey: string;
}

/** Creates the demo project once; later runs reuse it (the API key is only ever shown once). */
async function seedDemo(): Promise<DemoState> {
  const stateFile = `.writ/demo-${new URL(env.DATABASE_URL).pathname.slice(1)}.json`;
  const admin = { Authorization: `Bearer ${env.WRIT_ADMIN_TOKEN}` };
  try {
    const saved = JSON.parse(readFileSync(stateFile, "utf8")) as DemoState;
    await api("GET", `/v1/projects/${saved.projectId}`, undefined, { "X-Api-Key": saved.apiKey });
    return saved;
  } catch {
    // first run, or the database was reset
  }
  const projects = (await api("GET", "/v1/projects", undefined, admin)) as Array<{
    id: string;
    name: string;
  }>;
  const project =
    projects.find((p) => p.name === "demo") ??
    (await api("POST", "/v1/projects", { name: "demo", appName: "Writ demo" }, admin));
  const key = await api(
    "POST",
    `/v1/projects/${project.id}/api-keys`,
    { label: "npm start demo" },
    admin,
  );
  const asKey = { "X-Api-Key": key.key as string };
  const integrations = (await api(
    "PUT",
    `/v1/projects/${project.id}/integrations:batch`,
    { sourceYaml: demoManifest },
    asKey,
  )) as Array<{
    id: string;
    name: string;
    provider: string;
  }>;
  for (const integration of integrations) {
    const existing = await api(
      "GET",
      `/v1/projects/${project.id}/integrations/${integration.id}/installations?groupRef=demo-group`,
      undefined,
      asKey,
    );
    if (existing.length > 0) continue;
    const connection = await api(
      "POST",
      `/v1/projects/${project.id}/connections:generate`,
      {
        groupRef: "demo-group",
        consumerRef: "demo-user",
        provider: integration.provider,
        apiKey: `sandbox-${integration.provider}-token`,
        ...(integration.provider === "salesforce"
          ? { instanceUrl: `${sandboxUrl}/salesforce` }
          : {}),
      },
      asKey,
    );
    const objects =
      integration.provider === "hubspot" ? ["contact", "company"] : ["contact", "account"];
    await api(
      "POST",
      `/v1/projects/${project.id}/integrations/${integration.id}/installations`,
      {
        groupRef: "demo-group",
        connectionId: connection.id,
        config: {
          content: {
            provider: integration.provider,
            write: {
              objects: Object.fromEntries(
                objects.map((objectName) => [
                  objectName,
                  {
                    objectName,
                    deletionSettings: { enabled: true },
                    selectedFieldSettings: {
                      source: { default: { stringValue: "writ-demo" }, writeOnUpdate: "never" },
                    },
                  },
                ]),
              ),
            },
          },
        },
      },
      asKey,
    );
  }
  const state = { projectId: project.id as string, apiKey: key.key as string };
  mkdirSync(".writ", { recursive: true });
  writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}

let stopping = false;
async function stop(code: number): Promise<void> {
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) =>
          child.exitCode !== null ? resolve(null) : child.once("exit", resolve),
        ),
    ),
  );
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  const migrated = await migrate(env.DATABASE_URL);
  log(
    `database ${redactUrl(env.DATABASE_URL)}: ${migrated.created ? "created; " : ""}${migrated.applied.length} migration(s) applied`,
  );
  launch("sandbox", "apps/sandbox/src/main.ts", {});
  await waitForHealth("sandbox", `${sandboxUrl}/healthz`);
  launch("api", "apps/api/src/main.ts", { LOG_LEVEL: process.env.LOG_LEVEL ?? "info" });
  launch("worker", "apps/worker/src/main.ts", {
    WRIT_PROVIDER_BASE_URL_HUBSPOT: `${sandboxUrl}/hubspot`,
    WRIT_PROVIDER_TOKEN_URL_HUBSPOT: `${sandboxUrl}/hubspot/oauth/v1/token`,
    WRIT_PROVIDER_TOKEN_URL_SALESFORCE: `${sandboxUrl}/salesforce/services/oauth2/token`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  });
  await waitForHealth("api", `${apiUrl}/readyz`);
  const demo = await seedDemo();
  const write = `curl -s ${apiUrl}/v1/projects/demo/integrations/hubspot-demo/objects/contact \\
  -H 'X-Api-Key: ${demo.apiKey}' -H 'Content-Type: application/json' \\
  -d '{"groupRef":"demo-group","type":"create","record":{"firstname":"Harry","lastname":"Potter","email":"harry@hogwarts.com"}}'`;
  console.log(`
Writ is running.
  API       ${apiUrl}   (admin token: ${env.WRIT_ADMIN_TOKEN})
  sandbox   ${sandboxUrl}   (HubSpot at /hubspot, Salesforce at /salesforce)
  demo      project "demo", API key ${demo.apiKey}

Write a contact into the sandbox's HubSpot (synchronous: answers with the new record id):
${write}

Then look at the operation (use the operationId from the answer):
curl -s ${apiUrl}/v1/projects/demo/operations/<operationId> -H 'X-Api-Key: ${demo.apiKey}'

Ctrl-C stops everything.
`);
} catch (error) {
  console.error(`[start] ${(error as Error).message}`);
  if (/ECONNREFUSED|connect/i.test((error as Error).message)) {
    console.error("[start] Is PostgreSQL running at DATABASE_URL and Redis at REDIS_URL?");
  }
  await stop(1);
}
