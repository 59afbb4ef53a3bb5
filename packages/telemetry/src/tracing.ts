import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type ReadableSpan,
  type Span as SdkSpan,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";

/**
 * Tracing seam. Apps and packages start spans through the helpers here and never import
 * OpenTelemetry. When tracing is off (no OTLP endpoint and no exporter) no provider is
 * registered and every helper returns at once, without creating spans.
 */

export { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
export type { ReadableSpan, SpanExporter };

/** Span kinds, as OpenTelemetry defines them. */
export type SpanKindName = "internal" | "server" | "client" | "producer" | "consumer";
export type SpanStatusName = "unset" | "ok" | "error";
export type SpanAttributeValue = string | number | boolean;
/** Attributes; `undefined` values are left out. */
export type SpanAttributes = Readonly<Record<string, SpanAttributeValue | undefined>>;

/** W3C trace context of a span, as carried in a job or an HTTP request. */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

/** A parent taken from a carrier (see extractTraceContext); opaque to callers. */
export interface RemoteParent {
  readonly remoteParent: unique symbol;
}

export interface SpanOptions {
  /** Defaults to `internal`. */
  kind?: SpanKindName;
  attributes?: SpanAttributes;
  /** Other traces this span is causally related to (e.g. the jobs one batch call served). */
  links?: ReadonlyArray<TraceCarrier | undefined>;
  /**
   * The parent: a span of this process, or one carried from another (extractTraceContext); the
   * active span when left out.
   */
  parent?: TracedSpan | RemoteParent | undefined;
}

export interface TracedSpan {
  setAttribute(key: string, value: SpanAttributeValue | undefined): void;
  setAttributes(attributes: SpanAttributes): void;
  addLinks(carriers: ReadonlyArray<TraceCarrier | undefined>): void;
  updateName(name: string): void;
  setStatus(status: SpanStatusName): void;
  /** Error status and an exception event (see recordError below). */
  recordError(error: unknown): void;
  /** Ids of this span, for log lines; undefined when it is not recording. */
  traceIds(): { traceId: string; spanId: string } | undefined;
  end(): void;
}

export interface TracingOptions {
  /** `service.name` of the process's spans. */
  serviceName: string;
  /**
   * OTLP/HTTP collector base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. `http://collector:4318`);
   * spans go to `<endpoint>/v1/traces` in batches, as protobuf: OTLP's default encoding, which
   * the SDK writes straight to bytes, where JSON first builds a copy of every span as objects
   * (measured: the JSON serializer was the largest single tracing cost at ingress rates).
   */
  otlpEndpoint?: string | undefined;
  /** An exporter that receives each span as it ends (tests: `InMemorySpanExporter`). */
  exporter?: SpanExporter | undefined;
  /**
   * Whether spans can be active: withSpan, createContextSlot and bindContext carry them across
   * awaits with AsyncLocalStorage, which on Node 20 runs a hook for every promise the process
   * creates. A process whose spans all name their parent (SpanOptions.parent), like the API,
   * passes false and never pays for it; there, the active span is always none. Default true;
   * in a process with several runtimes, on if any of them asks.
   */
  activeSpans?: boolean | undefined;
}

const spanKinds: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/** A finished span's kind by name (for tests and exporters that inspect spans). */
export function spanKindOf(span: ReadableSpan): SpanKindName {
  const entry = Object.entries(spanKinds).find(([, kind]) => kind === span.kind);
  return (entry?.[0] as SpanKindName | undefined) ?? "internal";
}

const spanStatuses: Record<SpanStatusName, SpanStatusCode> = {
  unset: SpanStatusCode.UNSET,
  ok: SpanStatusCode.OK,
  error: SpanStatusCode.ERROR,
};

/**
 * Sends every span to each exporter added. The SDK takes its processors at construction; a
 * second runtime in the same process (API and worker in one test) may bring its own exporter.
 */
class FanOutSpanProcessor implements SpanProcessor {
  readonly processors = new Map<SpanExporter | string, SpanProcessor>();

  onStart(span: SdkSpan, parentContext: Context): void {
    for (const processor of this.processors.values()) processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    for (const processor of this.processors.values()) processor.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.processors.values()].map((processor) => processor.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.processors.values()].map((processor) => processor.shutdown()));
    this.processors.clear();
  }
}

interface TracingState {
  provider: NodeTracerProvider;
  processors: FanOutSpanProcessor;
  tracer: Tracer;
  /** Set once some runtime asked for active spans (TracingOptions.activeSpans). */
  contextManager?: AsyncLocalStorageContextManager;
}

let state: TracingState | undefined;
/** setupTracing calls not yet matched by shutdownTracing. */
let users = 0;

/**
 * Starts tracing for this process: a tracer provider registered globally with the W3C
 * trace-context propagator and, unless `activeSpans` is false, an AsyncLocalStorage context
 * manager. Off when neither an endpoint nor an exporter is given.
 *
 * One provider serves the whole process: API and worker runtimes started in one process share
 * it (the first caller's service name names it), each call adds its exporter, and each must be
 * matched by one `shutdownTracing()`; the last one flushes and unregisters the provider.
 */
export function setupTracing(options: TracingOptions): void {
  users++;
  if (!options.otlpEndpoint && !options.exporter) return;
  if (!state) {
    const processors = new FanOutSpanProcessor();
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
      spanProcessors: [processors],
    });
    provider.register({ propagator: new W3CTraceContextPropagator(), contextManager: null });
    state = { provider, processors, tracer: provider.getTracer("writ") };
  }
  if (options.activeSpans !== false && !state.contextManager) {
    state.contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(state.contextManager);
  }
  const { processors } = state;
  if (options.exporter && !processors.processors.has(options.exporter)) {
    processors.processors.set(options.exporter, new SimpleSpanProcessor(options.exporter));
  }
  if (options.otlpEndpoint) {
    const url = `${options.otlpEndpoint.replace(/\/+$/, "")}/v1/traces`;
    if (!processors.processors.has(url)) {
      processors.processors.set(url, new BatchSpanProcessor(new OTLPTraceExporter({ url })));
    }
  }
}

/**
 * Flushes pending spans. The last caller (see setupTracing) also shuts the provider down and
 * unregisters it, so tracing is off again until the next setupTracing.
 */
export async function shutdownTracing(): Promise<void> {
  users = Math.max(0, users - 1);
  const current = state;
  if (!current) return;
  if (users > 0) {
    await current.provider.forceFlush();
    return;
  }
  state = undefined;
  await current.provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
}

/** Whether spans are being recorded in this process. */
export function tracingEnabled(): boolean {
  return state !== undefined;
}

class NoopTracedSpan implements TracedSpan {
  setAttribute(): void {}
  setAttributes(): void {}
  addLinks(): void {}
  updateName(): void {}
  setStatus(): void {}
  recordError(): void {}
  traceIds(): undefined {
    return undefined;
  }
  end(): void {}
}

const noopSpan: TracedSpan = new NoopTracedSpan();

class OtelTracedSpan implements TracedSpan {
  constructor(readonly span: Span) {}

  setAttribute(key: string, value: SpanAttributeValue | undefined): void {
    if (value !== undefined) this.span.setAttribute(key, value);
  }

  setAttributes(attributes: SpanAttributes): void {
    this.span.setAttributes(definedAttributes(attributes));
  }

  addLinks(carriers: ReadonlyArray<TraceCarrier | undefined>): void {
    const links = linksOf(carriers);
    if (links.length > 0) this.span.addLinks(links);
  }

  updateName(name: string): void {
    this.span.updateName(name);
  }

  setStatus(status: SpanStatusName): void {
    this.span.setStatus({ code: spanStatuses[status] });
  }

  /**
   * Error status, and an exception event with the error's type and stack frames but never its
   * message: provider messages can quote the record that was refused, and traces carry no
   * record contents. Log lines carry the trace id, so the message is one search away.
   */
  recordError(error: unknown): void {
    const type = error instanceof Error ? error.name : typeof error;
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    const frames =
      error instanceof Error && error.stack
        ? error.stack
            .split("\n")
            .filter((line) => line.startsWith("    at "))
            .join("\n")
        : undefined;
    this.span.addEvent("exception", {
      "exception.type": type,
      ...(frames ? { "exception.stacktrace": frames } : {}),
    });
  }

  traceIds(): { traceId: string; spanId: string } | undefined {
    return idsOf(this.span.spanContext());
  }

  end(): void {
    this.span.end();
  }
}

function idsOf(
  spanContext: SpanContext | undefined,
): { traceId: string; spanId: string } | undefined {
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

function definedAttributes(attributes: SpanAttributes | undefined): Attributes {
  const defined: Attributes = {};
  if (!attributes) return defined;
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) defined[key] = value;
  }
  return defined;
}

function linksOf(carriers: ReadonlyArray<TraceCarrier | undefined> | undefined): Link[] {
  const links: Link[] = [];
  for (const carrier of carriers ?? []) {
    if (!carrier) continue;
    const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier));
    if (spanContext) links.push({ context: spanContext });
  }
  return links;
}

function parentContext(parent: SpanOptions["parent"]): Context {
  if (parent instanceof OtelTracedSpan) return trace.setSpan(ROOT_CONTEXT, parent.span);
  // A span started while tracing was off has no context to give.
  if (!parent || parent instanceof NoopTracedSpan) return context.active();
  return parent as unknown as Context;
}

function startOtelSpan(current: TracingState, name: string, options: SpanOptions): Span {
  const parent = parentContext(options.parent);
  return current.tracer.startSpan(
    name,
    {
      kind: spanKinds[options.kind ?? "internal"],
      attributes: definedAttributes(options.attributes),
      links: linksOf(options.links),
    },
    parent,
  );
}

/**
 * Runs `fn` inside a new span, active for everything `fn` awaits. A throw sets error status
 * and records the exception (see TracedSpan.recordError) before it propagates.
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: TracedSpan) => Promise<T> | T,
): Promise<T> {
  const current = state;
  if (!current) return fn(noopSpan);
  const span = new OtelTracedSpan(startOtelSpan(current, name, options));
  return endAfter(span, () =>
    context.with(trace.setSpan(context.active(), span.span), () => fn(span)),
  );
}

/**
 * Runs `fn` inside a new span that `fn` is given but that does not become active: spans below it
 * name it as their parent (SpanOptions.parent) and trace context is taken from it
 * (injectTraceContext(span)). Errors and ending as in withSpan.
 *
 * Making a span active means AsyncLocalStorage, which on Node 20 runs a hook for every promise
 * the process creates from then on. A process whose spans all name their parent, like the API,
 * never pays that.
 */
export async function withDetachedSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: TracedSpan) => Promise<T> | T,
): Promise<T> {
  const current = state;
  if (!current) return fn(noopSpan);
  const span = new OtelTracedSpan(startOtelSpan(current, name, options));
  return endAfter(span, () => fn(span));
}

async function endAfter<T>(span: OtelTracedSpan, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    span.recordError(error);
    throw error;
  } finally {
    span.end();
  }
}

/** Starts a span that the caller ends; it does not become active (see runInSpan). */
export function startSpan(name: string, options: SpanOptions = {}): TracedSpan {
  const current = state;
  if (!current) return noopSpan;
  return new OtelTracedSpan(startOtelSpan(current, name, options));
}

/**
 * `fn` bound to the active span: it runs with that span active whenever and from wherever it
 * is called (callbacks that a library runs on its own schedule, like a rate limiter's).
 */
export function bindContext<F extends (...args: never[]) => unknown>(fn: F): F {
  if (!state) return fn;
  return context.bind(context.active(), fn);
}

/** Adds links to the active span, if any (see SpanOptions.links). */
export function addLinksToActiveSpan(carriers: ReadonlyArray<TraceCarrier | undefined>): void {
  if (!state || carriers.length === 0) return;
  const span = trace.getActiveSpan();
  if (span) new OtelTracedSpan(span).addLinks(carriers);
}

/**
 * W3C trace context to carry to another process: of `span` when given, of the active span
 * otherwise; undefined when off.
 */
export function injectTraceContext(span?: TracedSpan): TraceCarrier | undefined {
  if (!state) return undefined;
  if (span && !(span instanceof OtelTracedSpan)) return undefined;
  const carrier: { traceparent?: string; tracestate?: string } = {};
  propagation.inject(span ? trace.setSpan(ROOT_CONTEXT, span.span) : context.active(), carrier);
  if (!carrier.traceparent) return undefined;
  return carrier.tracestate
    ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate }
    : { traceparent: carrier.traceparent };
}

/** A parent for SpanOptions.parent from a carried trace context; undefined when off or absent. */
export function extractTraceContext(
  carrier: { traceparent?: string | undefined; tracestate?: string | undefined } | undefined,
): RemoteParent | undefined {
  if (!state || !carrier?.traceparent) return undefined;
  const extracted = propagation.extract(ROOT_CONTEXT, carrier);
  if (!trace.getSpanContext(extracted)) return undefined;
  return extracted as unknown as RemoteParent;
}

/** Ids of the active span, for log lines; undefined when no span is recording. */
export function currentTraceIds(): { traceId: string; spanId: string } | undefined {
  if (!state) return undefined;
  return idsOf(trace.getActiveSpan()?.spanContext());
}

/** A value carried along the async call path, for spans started further down it. */
export interface ContextSlot<T> {
  /** Runs `fn` with the slot set to `value`. */
  with<R>(value: T, fn: () => R): R;
  /** The value set by the nearest enclosing `with`; always undefined when tracing is off. */
  get(): T | undefined;
}

export function createContextSlot<T>(description: string): ContextSlot<T> {
  const key = createContextKey(description);
  return {
    with(value, fn) {
      if (!state) return fn();
      return context.with(context.active().setValue(key, value), fn);
    },
    get() {
      if (!state) return undefined;
      return context.active().getValue(key) as T | undefined;
    },
  };
}
