import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "./logger";
import {
  addLinksToActiveSpan,
  bindContext,
  createContextSlot,
  currentTraceIds,
  extractTraceContext,
  InMemorySpanExporter,
  injectTraceContext,
  type ReadableSpan,
  setupTracing,
  shutdownTracing,
  startSpan,
  tracingEnabled,
  withDetachedSpan,
  withSpan,
} from "./tracing";

function spanNamed(spans: ReadableSpan[], name: string): ReadableSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(", ")}`);
  return span;
}

afterEach(async () => {
  while (tracingEnabled()) await shutdownTracing();
});

describe("tracing off", () => {
  it("registers nothing and records nothing", async () => {
    setupTracing({ serviceName: "writ-test" });
    expect(tracingEnabled()).toBe(false);
    expect(trace.getTracerProvider().getTracer("probe").startSpan("x").isRecording()).toBe(false);

    const slot = createContextSlot<number>("probe");
    const fn = () => 1;
    expect(bindContext(fn)).toBe(fn);
    const result = await withSpan("work", { kind: "consumer", attributes: { a: 1 } }, (span) => {
      span.setAttribute("b", 2);
      expect(currentTraceIds()).toBeUndefined();
      expect(injectTraceContext()).toBeUndefined();
      return slot.with(7, () => slot.get());
    });
    expect(result).toBeUndefined();
    expect(startSpan("manual")).toBe(startSpan("other"));
    expect(
      extractTraceContext({
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      }),
    ).toBeUndefined();
    await expect(
      withSpan("failing", {}, () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await shutdownTracing();
    expect(tracingEnabled()).toBe(false);
  });
});

describe("tracing on", () => {
  it("nests spans, carries context across a carrier, and links", async () => {
    const exporter = new InMemorySpanExporter();
    setupTracing({ serviceName: "writ-test", exporter });
    expect(tracingEnabled()).toBe(true);

    let carrier = injectTraceContext();
    expect(carrier).toBeUndefined();
    await withSpan("send writes", { kind: "producer", attributes: { skip: undefined } }, () => {
      carrier = injectTraceContext();
    });
    expect(carrier?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const other = await withSpan("other", {}, () => injectTraceContext());

    await withSpan(
      "process writes",
      { kind: "consumer", parent: extractTraceContext(carrier), attributes: { "writ.attempt": 1 } },
      async () => {
        await withSpan("pipeline", {}, async () => {
          addLinksToActiveSpan([other]);
        });
        const wait = startSpan("rate limit wait");
        const later = bindContext(() => currentTraceIds());
        wait.setAttribute("writ.rate_limit.wait_ms", 5);
        wait.end();
        expect(later()?.traceId).toBe(carrier?.traceparent.split("-")[1]);
      },
    );

    const spans = exporter.getFinishedSpans();
    const producer = spanNamed(spans, "send writes");
    const consumer = spanNamed(spans, "process writes");
    const pipeline = spanNamed(spans, "pipeline");
    const wait = spanNamed(spans, "rate limit wait");
    expect(producer.attributes).not.toHaveProperty("skip");
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(pipeline.parentSpanContext?.spanId).toBe(consumer.spanContext().spanId);
    expect(wait.parentSpanContext?.spanId).toBe(consumer.spanContext().spanId);
    expect(wait.attributes["writ.rate_limit.wait_ms"]).toBe(5);
    expect(pipeline.links.map((link) => link.context.spanId)).toEqual([
      other?.traceparent.split("-")[2],
    ]);
    expect(consumer.resource.attributes["service.name"]).toBe("writ-test");
  });

  it("records failures without the error's message", async () => {
    const exporter = new InMemorySpanExporter();
    setupTracing({ serviceName: "writ-test", exporter });
    await expect(
      withSpan("provider call", { kind: "client" }, () => {
        throw new TypeError("Email ada@example.com is invalid");
      }),
    ).rejects.toThrow(TypeError);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toMatchObject({ code: 2, message: "TypeError" });
    expect(span?.events[0]?.attributes?.["exception.type"]).toBe("TypeError");
    expect(JSON.stringify(span?.events)).not.toContain("ada@example.com");
  });

  it("keeps context values on the span's path", async () => {
    setupTracing({ serviceName: "writ-test", exporter: new InMemorySpanExporter() });
    const slot = createContextSlot<number>("retry");
    const seen = await slot.with(2, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return slot.get();
    });
    expect(seen).toBe(2);
    expect(slot.get()).toBeUndefined();
  });

  it("parents a detached span on the span it names, without making either active", async () => {
    const exporter = new InMemorySpanExporter();
    setupTracing({ serviceName: "writ-test", exporter });
    const server = startSpan("POST /writes", { kind: "server" });
    const carried = await withDetachedSpan(
      "send writes",
      { kind: "producer", parent: server },
      async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return {
          active: currentTraceIds(),
          carrier: injectTraceContext(span),
          ids: span.traceIds(),
        };
      },
    );
    await expect(
      withDetachedSpan("send writes", { kind: "producer", parent: server }, () => {
        throw new TypeError("queue closed");
      }),
    ).rejects.toThrow("queue closed");
    server.end();

    const spans = exporter.getFinishedSpans().filter((span) => span.name === "send writes");
    const serverSpan = spanNamed(exporter.getFinishedSpans(), "POST /writes");
    expect(carried.active).toBeUndefined();
    expect(server.traceIds()).toEqual({
      traceId: serverSpan.spanContext().traceId,
      spanId: serverSpan.spanContext().spanId,
    });
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(serverSpan.spanContext().traceId);
    }
    expect(carried.ids?.spanId).toBe(spans[0]?.spanContext().spanId);
    expect(carried.carrier?.traceparent).toBe(
      `00-${serverSpan.spanContext().traceId}-${spans[0]?.spanContext().spanId}-01`,
    );
    expect(spans[1]?.status).toMatchObject({ code: 2, message: "TypeError" });
  });

  it("makes no span active until some runtime of the process asks for active spans", async () => {
    const exporter = new InMemorySpanExporter();
    setupTracing({ serviceName: "writ-api", exporter, activeSpans: false });
    const inside = await withSpan("request", {}, async () => {
      await Promise.resolve();
      return currentTraceIds();
    });
    expect(inside).toBeUndefined();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(["request"]);

    setupTracing({ serviceName: "writ-worker", exporter });
    const active = await withSpan("job", {}, async () => {
      await Promise.resolve();
      return currentTraceIds();
    });
    expect(active?.spanId).toBe(spanNamed(exporter.getFinishedSpans(), "job").spanContext().spanId);
  });

  it("is shared by every runtime of the process until the last one shuts down", async () => {
    const first = new InMemorySpanExporter();
    const second = new InMemorySpanExporter();
    setupTracing({ serviceName: "writ-api", exporter: first });
    setupTracing({ serviceName: "writ-worker", exporter: second });
    await withSpan("shared", {}, () => {});
    expect(first.getFinishedSpans()).toHaveLength(1);
    expect(second.getFinishedSpans()).toHaveLength(1);
    await shutdownTracing();
    expect(tracingEnabled()).toBe(true);
    await shutdownTracing();
    expect(tracingEnabled()).toBe(false);
  });

  it("exports to an OTLP/HTTP collector's /v1/traces and flushes on shutdown", async () => {
    const received: Array<{ path: string | undefined; body: string }> = [];
    const collector = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        received.push({ path: req.url, body });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    try {
      const port = (collector.address() as AddressInfo).port;
      setupTracing({ serviceName: "writ-test", otlpEndpoint: `http://127.0.0.1:${port}/` });
      await withSpan("send writes", { kind: "producer" }, () => {});
      await shutdownTracing();
      expect(tracingEnabled()).toBe(false);
      expect(received.map((request) => request.path)).toEqual(["/v1/traces"]);
      expect(received[0]?.body).toContain("send writes");
      expect(received[0]?.body).toContain("writ-test");
    } finally {
      collector.close();
    }
  });

  it("puts trace and span ids on log lines written inside a span", async () => {
    setupTracing({ serviceName: "writ-test", exporter: new InMemorySpanExporter() });
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const logger = createLogger({ name: "writ-test", level: "info", destination });
    logger.info("outside");
    const ids = await withSpan("work", {}, () => {
      logger.info({ step: 1 }, "inside");
      return currentTraceIds();
    });
    expect(lines[0]).not.toHaveProperty("traceId");
    expect(lines[1]).toMatchObject({ step: 1, traceId: ids?.traceId, spanId: ids?.spanId });
  });
});

describe("head sampling from OTEL_TRACES_SAMPLER", () => {
  afterEach(() => {
    delete process.env.OTEL_TRACES_SAMPLER;
    delete process.env.OTEL_TRACES_SAMPLER_ARG;
  });

  it("records no span of an unsampled trace, and carries the decision to the next process", async () => {
    process.env.OTEL_TRACES_SAMPLER = "parentbased_traceidratio";
    process.env.OTEL_TRACES_SAMPLER_ARG = "0";
    const exporter = new InMemorySpanExporter();
    setupTracing({ serviceName: "writ-test", exporter });
    const carried = await withSpan("POST /writes", { kind: "server" }, () =>
      withSpan("send writes", { kind: "producer" }, () => injectTraceContext()),
    );
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(carried?.traceparent).toMatch(/-00$/);

    await withSpan(
      "process writes",
      { kind: "consumer", parent: extractTraceContext(carried) },
      () => {},
    );
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
