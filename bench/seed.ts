/**
 * Sets up what a scenario writes through, the way an application would: admin token → project →
 * API key → manifest deploy → connection → installation, all over the HTTP API; sandbox accounts
 * through the sandbox's admin API.
 */

export async function httpJson<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface SandboxAccount {
  id: string;
  accessToken: string;
}

export interface SandboxAccountInput {
  provider: "hubspot" | "salesforce";
  rateLimit?: { requests: number; intervalMs: number };
  latencyMs?: number;
  dailyLimit?: number;
}

/** A sandbox account; its access token is what the connection carries as its API key. */
export function createSandboxAccount(
  sandboxUrl: string,
  input: SandboxAccountInput,
): Promise<SandboxAccount> {
  return httpJson<SandboxAccount>("POST", `${sandboxUrl}/_sandbox/accounts`, input);
}

/** Big enough that the sandbox never limits the run: the provider is not what is measured. */
export const unlimitedRate = { requests: 10_000_000, intervalMs: 1000 };

export const benchIntegration = "bench-hubspot";
export const benchObject = "contacts";

const manifest = `specVersion: 1.0.0
integrations:
  - name: ${benchIntegration}
    displayName: HubSpot (sandbox)
    provider: hubspot
    write:
      objects:
        - objectName: ${benchObject}
`;

/** Per-customer field settings, so the worker's pipeline has work to do on every record. */
const installationContent = {
  provider: "hubspot",
  write: {
    objects: {
      [benchObject]: {
        objectName: benchObject,
        selectedFieldSettings: {
          lifecyclestage: { default: { stringValue: "lead" } },
          hs_lead_status: { writeOnCreate: "never" },
          jobtitle: { writeOnUpdate: "never" },
        },
      },
    },
  },
};

export interface BenchProject {
  apiUrl: string;
  projectId: string;
  apiKey: string;
}

export async function seedProject(
  apiUrl: string,
  adminToken: string,
  name: string,
): Promise<BenchProject> {
  const admin = { Authorization: `Bearer ${adminToken}` };
  const project = await httpJson<{ id: string }>(
    "POST",
    `${apiUrl}/v1/projects`,
    { name, appName: "Writ benchmark" },
    admin,
  );
  const key = await httpJson<{ key: string }>(
    "POST",
    `${apiUrl}/v1/projects/${project.id}/api-keys`,
    { label: "benchmark" },
    admin,
  );
  await httpJson(
    "PUT",
    `${apiUrl}/v1/projects/${project.id}/integrations:batch`,
    { sourceYaml: manifest },
    { "X-Api-Key": key.key },
  );
  return { apiUrl, projectId: project.id, apiKey: key.key };
}

export interface WriteTarget {
  groupRef: string;
  /** POST here to write a contact. */
  writeUrl: string;
  /** GET an operation: `{id}` is the operation id. */
  operationUrlTemplate: string;
  headers: Record<string, string>;
}

/**
 * A connection to one sandbox account and an installation for `groupRef` that uses it. Without
 * `rateLimit` the connection gets the provider's published budget (HubSpot: 100 per 10 s); an
 * account whose limit was raised is told so through the connection's override, as an operator
 * would.
 */
export async function installTarget(
  project: BenchProject,
  groupRef: string,
  accessToken: string,
  rateLimit?: { requests: number; intervalMs: number },
): Promise<WriteTarget> {
  const base = `${project.apiUrl}/v1/projects/${project.projectId}`;
  const headers = { "X-Api-Key": project.apiKey };
  const connection = await httpJson<{ id: string }>(
    "POST",
    `${base}/connections:generate`,
    {
      groupRef,
      consumerRef: `${groupRef}-admin`,
      provider: "hubspot",
      apiKey: accessToken,
      ...(rateLimit ? { rateLimit: { ...rateLimit, maxConcurrent: null } } : {}),
    },
    headers,
  );
  await httpJson(
    "POST",
    `${base}/integrations/${benchIntegration}/installations`,
    { groupRef, connectionId: connection.id, config: { content: installationContent } },
    headers,
  );
  return {
    groupRef,
    writeUrl: `${base}/integrations/${benchIntegration}/objects/${benchObject}`,
    operationUrlTemplate: `${base}/operations/{id}`,
    headers: { ...headers, "Content-Type": "application/json" },
  };
}

/**
 * A contact as an application would send it. With `unique`, the email carries the load
 * generator's `{{seq}}` placeholder, so each request creates a different contact (the sandbox,
 * like HubSpot, refuses a second contact with the same email).
 */
export function contactRecord(unique: boolean, suffix = ""): Record<string, string> {
  return {
    email: unique ? `bench-{{seq}}${suffix}@example.com` : `bench${suffix}@example.com`,
    firstname: "Ada",
    lastname: "Lovelace",
    company: "Analytical Engines Ltd",
    phone: "+44 20 7946 0018",
    jobtitle: "Engineer",
  };
}

export function singleWriteBody(
  groupRef: string,
  options: { unique: boolean; mode?: "asynchronous" | "synchronous" },
): string {
  return JSON.stringify({
    groupRef,
    type: "create",
    mode: options.mode ?? "asynchronous",
    record: contactRecord(options.unique),
  });
}

export function batchWriteBody(groupRef: string, size: number, unique: boolean): string {
  return JSON.stringify({
    groupRef,
    type: "create",
    mode: "asynchronous",
    batch: Array.from({ length: size }, (_, index) => ({
      record: contactRecord(unique, `-${index}`),
    })),
  });
}
