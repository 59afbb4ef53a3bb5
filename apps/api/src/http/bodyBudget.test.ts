import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { BodyBudget } from "./bodyBudget";

const kib = 1024;

/**
 * An app whose POST /hold parses the body and then answers only when the test releases it, so
 * the test decides how long each admitted body stays in flight.
 */
async function startApp(budget: BodyBudget) {
  const held: Array<{ size: number; release(): void }> = [];
  const app = express();
  app.use(budget.admit);
  app.use(express.json({ limit: 1024 * kib }));
  app.post("/hold", (req, res) => {
    const size = JSON.stringify(req.body).length;
    held.push({
      size,
      release: () => {
        if (!res.headersSent) res.json({ size });
      },
    });
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hold`;
  return { held, url };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A JSON body of exactly `bytes` bytes. */
function body(bytes: number): string {
  return JSON.stringify({ filler: "x".repeat(bytes - '{"filler":""}'.length) });
}

/** A request whose answer the test does not wait for (and whose failure it ignores). */
function fire(url: string, bytes: number): void {
  post(url, bytes).catch(() => undefined);
}

function post(url: string, bytes: number, signal?: AbortSignal) {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: body(bytes),
    signal,
  });
}

async function until(condition: () => boolean): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 5000) throw new Error(`not reached: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const options = {
  limitBytes: 300 * kib,
  smallBodyBytes: 64 * kib,
  maxBodyBytes: 200 * kib,
  maxWaitMs: 5000,
};

describe("BodyBudget", () => {
  it("admits large bodies up to the limit and holds the next until one is answered", async () => {
    const budget = new BodyBudget(options);
    const { held, url } = await startApp(budget);
    const first = post(url, 150 * kib);
    const second = post(url, 140 * kib);
    await until(() => held.length === 2);
    expect(budget.inUse).toBeGreaterThanOrEqual(290 * kib);

    // Over the limit: waits, its body unread, while the two are in flight.
    const third = post(url, 100 * kib);
    await until(() => budget.queued === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held).toHaveLength(2);

    held[0]!.release();
    expect((await first).status).toBe(200);
    await until(() => held.length === 3);
    expect(budget.queued).toBe(0);
    held[1]!.release();
    held[2]!.release();
    expect((await second).status).toBe(200);
    expect(await (await third).json()).toEqual({ size: 100 * kib });
    await until(() => budget.inUse === 0);
  });

  it("lets small bodies through while large ones wait", async () => {
    const budget = new BodyBudget(options);
    const { held, url } = await startApp(budget);
    fire(url, 190 * kib);
    fire(url, 190 * kib);
    await until(() => held.length === 1 && budget.queued === 1);

    fire(url, 2 * kib);
    await until(() => held.length === 2);
    expect(held[1]!.size).toBe(2 * kib);
    expect(budget.queued).toBe(1);
    for (const entry of held) entry.release();
  });

  it("answers 503 with Retry-After when the wait runs out, and the queue moves on", async () => {
    const budget = new BodyBudget({ ...options, maxWaitMs: 100 });
    const { held, url } = await startApp(budget);
    fire(url, 190 * kib);
    await until(() => held.length === 1);

    const refused = await post(url, 190 * kib);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toMatchObject({ status: 503, retryable: true });
    expect(budget.queued).toBe(0);

    held[0]!.release();
    await until(() => budget.inUse === 0);
    const later = post(url, 190 * kib);
    await until(() => held.length === 2);
    held[1]!.release();
    expect((await later).status).toBe(200);
  });

  it("does not hold the queue for a client that left while waiting", async () => {
    const budget = new BodyBudget(options);
    const { held, url } = await startApp(budget);
    fire(url, 190 * kib);
    await until(() => held.length === 1);

    const abort = new AbortController();
    const leaving = post(url, 190 * kib, abort.signal).catch(() => "aborted");
    await until(() => budget.queued === 1);
    const staying = post(url, 190 * kib);
    await until(() => budget.queued === 2);
    abort.abort();
    expect(await leaving).toBe("aborted");

    // Its body unread, the server may only learn that the client left once it is admitted (if
    // the whole body had arrived, it is even handled); either way it answers or fails and makes
    // room, and the next in line gets its turn.
    held[0]!.release();
    const answering = setInterval(() => {
      for (const entry of held) entry.release();
    }, 5);
    try {
      expect((await staying).status).toBe(200);
    } finally {
      clearInterval(answering);
    }
    await until(() => budget.inUse === 0 && budget.queued === 0);
  });

  it("counts a chunked body as the largest allowed", async () => {
    const budget = new BodyBudget(options);
    const { held, url } = await startApp(budget);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body(70 * kib)));
        controller.close();
      },
    });
    const chunked = fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: chunks,
      duplex: "half",
    } as RequestInit);
    await until(() => held.length === 1);
    expect(budget.inUse).toBe(200 * kib);
    held[0]!.release();
    expect((await chunked).status).toBe(200);
    await until(() => budget.inUse === 0);
  });
});
