import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "@writ/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleValue, scrape } from "./prometheus";
import { startStack, type TestStack } from "./stack";

let stack: TestStack;
const servers: Server[] = [];

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** The same API with other configuration, sharing the stack's database, queue and metrics. */
async function variant(config: Partial<TestStack["api"]["deps"]["config"]>): Promise<string> {
  const deps = stack.api.deps;
  const app = createApp({ ...deps, config: { ...deps.config, ...config } });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  for (const server of servers) server.close();
  await stack?.close();
});

describe("queue dashboard", () => {
  it("asks for the admin token with a Basic auth prompt", async () => {
    for (const authorization of [
      undefined,
      basic("admin", "not-the-admin-token-at-all"),
      "Bearer not-the-admin-token-at-all",
      "Basic !!!",
    ]) {
      const response = await fetch(`${stack.apiUrl}/admin/queues`, {
        headers: authorization ? { Authorization: authorization } : {},
      });
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm="Writ queues"/);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
    const assets = await fetch(`${stack.apiUrl}/admin/queues/api/queues`);
    expect(assets.status).toBe(401);
  });

  it("lets the admin token in as a Basic password (any user) or a bearer token", async () => {
    for (const authorization of [
      basic("ops", stack.adminToken),
      basic("", stack.adminToken),
      `Bearer ${stack.adminToken}`,
    ]) {
      const response = await fetch(`${stack.apiUrl}/admin/queues`, {
        headers: { Authorization: authorization },
      });
      expect(response.status, authorization).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(response.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("is read-only by default", async () => {
    const headers = { Authorization: `Bearer ${stack.adminToken}` };
    const queues = await fetch(`${stack.apiUrl}/admin/queues/api/queues`, { headers });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as {
      queues: Array<{ name: string; readOnlyMode: boolean }>;
    };
    expect(body.queues.map((queue) => [queue.name, queue.readOnlyMode])).toEqual([
      ["writes", true],
    ]);
    const pause = await fetch(`${stack.apiUrl}/admin/queues/api/queues/writes/pause`, {
      method: "PUT",
      headers,
    });
    expect(pause.status).toBe(405);
    expect(await stack.api.deps.writes.queue.isPaused()).toBe(false);
  });

  it("allows changes only when WRIT_DASHBOARD_WRITE is on", async () => {
    const url = await variant({ dashboardWrite: true });
    const queues = await fetch(`${url}/admin/queues/api/queues`, {
      headers: { Authorization: `Bearer ${stack.adminToken}` },
    });
    const body = (await queues.json()) as { queues: Array<{ readOnlyMode: boolean }> };
    expect(body.queues[0]?.readOnlyMode).toBe(false);
  });

  it("does not exist without an admin token configured", async () => {
    const url = await variant({ adminToken: undefined });
    const response = await fetch(`${url}/admin/queues`, {
      headers: { Authorization: `Bearer ${stack.adminToken}` },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("www-authenticate")).toBeNull();
  });

  it("is one route in the request metrics, whatever the inner path", async () => {
    const samples = await scrape(`${stack.apiUrl}/metrics`);
    const dashboardRequests = samples.filter(
      (sample) =>
        sample.name === "writ_http_requests_total" && sample.labels.route?.includes("/admin"),
    );
    expect(new Set(dashboardRequests.map((sample) => sample.labels.route))).toEqual(
      new Set(["/admin/queues"]),
    );
    expect(
      sampleValue(samples, "writ_http_requests_total", {
        method: "GET",
        route: "/admin/queues",
        status: "401",
      }),
    ).toBeGreaterThanOrEqual(5);
  });
});
