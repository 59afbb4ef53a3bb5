import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { RequestDrain } from "./requestDrain";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** An app with one slow route that answers when `release()` is called. */
async function startApp(drain: RequestDrain) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started = () => {};
  const slowStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  const app = express();
  app.use(drain.admit);
  app.get("/slow", async (_req, res) => {
    started();
    await released;
    res.json({ done: true });
  });
  app.get("/fast", (_req, res) => {
    res.json({ done: true });
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, release, slowStarted };
}

describe("RequestDrain", () => {
  it("refuses new requests with 503, Retry-After and Connection: close once stopped", async () => {
    const drain = new RequestDrain();
    const { url } = await startApp(drain);
    expect((await fetch(`${url}/fast`)).status).toBe(200);
    drain.stopAccepting();
    const refused = await fetch(`${url}/fast`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("connection")).toBe("close");
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(await refused.json()).toMatchObject({ status: 503, retryable: true });
  });

  it("lets requests in flight finish, closing their connection, and reports when drained", async () => {
    const drain = new RequestDrain();
    const { url, release, slowStarted } = await startApp(drain);
    const slow = fetch(`${url}/slow`);
    await slowStarted;
    expect(drain.active).toBe(1);
    drain.stopAccepting();
    expect(await drain.drained(10)).toBe(false);
    const drained = drain.drained(10_000);
    release();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("connection")).toBe("close");
    expect(await drained).toBe(true);
    expect(drain.active).toBe(0);
  });
});
