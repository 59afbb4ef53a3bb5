import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installContacts } from "./fixtures/hubspotContacts";
import { createProject, startStack, type TestProject, type TestStack } from "./stack";
import { waitForValue as waitFor } from "./waiting";

// Debian's chromium (apt-get install chromium); .ci/run installs it on a fresh machine.
const chromiumPath = "/usr/bin/chromium";
const artifacts = "test-artifacts";

let stack: TestStack;
let project: TestProject;
let account: { id: string; accessToken: string };
let operationId: string;
const profiles: string[] = [];
const contexts: BrowserContext[] = [];

const record = { email: "zebulon.quill@example.com", firstname: "Zebulon", phone: "+1 555 0199" };
const manifest = `specVersion: 1.0.0
integrations:
  - name: hubspot-crm
    provider: hubspot
    write:
      objects:
        - objectName: contacts
`;

/** A headless Chromium with a profile of its own, thrown away after the file. */
async function openBrowser(options: { httpCredentials?: { username: string; password: string } }) {
  const profile = mkdtempSync(join(tmpdir(), "writ-chromium-"));
  profiles.push(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  return context;
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  stack = await startStack({ workers: 0 });
  project = await createProject(stack, "browser");
  // Every HubSpot call answers 503: the write's first attempt fails and waits as a delayed retry.
  account = stack.sandbox.admin.createAccount({
    provider: "hubspot",
    faults: { errorRate: 1, statuses: [503] },
  });
  const deployed = await project.request("PUT", "/v1/projects/{p}/integrations:batch", {
    sourceYaml: manifest,
  });
  expect(deployed.status).toBe(200);
  await installContacts(
    project,
    "acme-corp",
    { consumerRef: "acme-admin", apiKey: account.accessToken },
    "hubspot-crm",
  );

  const worker = await stack.startWorker();
  const accepted = await project.request(
    "POST",
    "/v1/projects/{p}/integrations/hubspot-crm/objects/contacts",
    { groupRef: "acme-corp", type: "create", mode: "asynchronous", record },
  );
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  operationId = accepted.body.operationId;
  await waitFor("the delayed retry", async () => {
    const job = await stack.api.deps.writes.getJob(operationId);
    return job?.state === "delayed" && job.failedReason ? job : undefined;
  });
  // Stop consuming so the job stays delayed, with its error, while the browser looks at it.
  stack.workers.splice(stack.workers.indexOf(worker), 1);
  await worker.close();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
  await stack?.close();
});

describe("queue dashboard in a browser", () => {
  it("asks for credentials, then shows the write queue and a failed attempt without record values", async () => {
    const anonymous = await openBrowser({});
    const refused = await anonymous.newPage();
    // Without credentials to answer the prompt with, Chromium gives up on the navigation.
    const [challenge, navigation] = await Promise.all([
      refused.waitForResponse((response) => response.url().endsWith("/admin/queues")),
      refused.goto(`${stack.apiUrl}/admin/queues`).then(
        () => "loaded",
        (error: Error) => error.message,
      ),
    ]);
    expect(challenge.status()).toBe(401);
    expect(challenge.headers()["www-authenticate"]).toMatch(/^Basic realm="Writ queues"/);
    expect(navigation).toContain("ERR_INVALID_AUTH_CREDENTIALS");

    const operator = await openBrowser({
      httpCredentials: { username: "operator", password: stack.adminToken },
    });
    const page = await operator.newPage();
    // Everything the dashboard's own API sends the browser, to check nothing leaks off-screen.
    const apiBodies: Promise<string>[] = [];
    page.on("response", (response) => {
      if (response.url().includes("/admin/queues/api/")) apiBodies.push(response.text());
    });

    const overview = await page.goto(`${stack.apiUrl}/admin/queues`);
    expect(overview?.status()).toBe(200);
    const queueCard = page.locator("main").getByText("writes", { exact: true });
    await queueCard.first().waitFor();
    await page.getByText("1 Job").waitFor();
    await page.screenshot({ path: `${artifacts}/queues-overview.png`, fullPage: true });

    await page.goto(`${stack.apiUrl}/admin/queues/queue/writes?status=delayed`);
    await page.getByText(operationId).first().waitFor();
    const delayedTab = page.getByRole("link", { name: /delayed/i }).first();
    await expect.poll(() => delayedTab.textContent()).toMatch(/1/);
    await page.screenshot({ path: `${artifacts}/queues-delayed.png`, fullPage: true });

    await page.goto(`${stack.apiUrl}/admin/queues/queue/writes/${operationId}`);
    await page.getByText(`operationId`).first().waitFor();
    // Unfold the record to show its field names with their values hidden.
    const folded = page.getByRole("button", { name: "expand JSON" });
    while ((await folded.count()) > 0) await folded.first().click();
    await page.getByText("email:", { exact: true }).waitFor();
    await expect
      .poll(async () => (await page.locator("body").textContent())?.includes("[redacted]"))
      .toBe(true);
    await page.screenshot({ path: `${artifacts}/queues-job-data.png`, fullPage: true });

    await page.getByText("Error", { exact: true }).first().click();
    const failedReason = (await stack.api.deps.writes.getJob(operationId))?.failedReason ?? "";
    expect(failedReason).not.toBe("");
    await page.getByText(failedReason.slice(0, 40)).first().waitFor();
    await page.screenshot({ path: `${artifacts}/queues-job-error.png`, fullPage: true });

    const shown = [
      await page.content(),
      (await page.locator("body").textContent()) ?? "",
      ...(await Promise.all(apiBodies)),
    ].join("\n");
    expect(apiBodies.length).toBeGreaterThan(0);
    for (const secret of [
      record.email,
      record.firstname,
      record.phone,
      account.accessToken,
      stack.adminToken,
      project.apiKey,
    ]) {
      expect(shown).not.toContain(secret);
    }
  });
});

describe("API reference in a browser", () => {
  it("lists the write endpoint on /docs", async () => {
    const context = await openBrowser({});
    const page = await context.newPage();
    const response = await page.goto(`${stack.apiUrl}/docs`);
    expect(response?.status()).toBe(200);
    const writeEndpoint = page
      .getByText("/v1/projects/{projectIdOrName}/integrations/{integrationId}/objects/{objectName}")
      .first();
    await writeEndpoint.waitFor();
    await writeEndpoint.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${artifacts}/docs-write-endpoint.png` });
  });
});
