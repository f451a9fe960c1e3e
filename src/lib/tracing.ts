// Spans and trace context for the app's own code, through the OpenTelemetry API only. Without the
// SDK (tracing off: src/tracing/register.ts was not loaded) every call here goes to the API's
// no-op tracer: no span is recorded, nothing is exported, and the cost is a function call.
// The SDK, its exporter and the library instrumentations live in src/tracing/ and are loaded
// only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span } from "@opentelemetry/api";

export { SpanKind, type Span };

const tracer = () => trace.getTracer("nextflix");

export interface SpanOptions {
  attributes?: Attributes;
  kind?: SpanKind;
  /** Start from this context instead of the active one (a message's extracted trace context). */
  parent?: Context;
  /** Start a new trace (a cron fire), optionally linked to other spans. */
  root?: boolean;
  links?: Link[];
}

/**
 * Runs `fn` inside a new active span: whatever it calls (database, Redis, other spans) becomes
 * the span's children. A thrown error is recorded on the span and thrown on.
 */
export function withSpan<T>(name: string, opts: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = opts.parent ?? (opts.root ? ROOT_CONTEXT : context.active());
  return tracer().startActiveSpan(name, { attributes: opts.attributes, kind: opts.kind, root: opts.root, links: opts.links }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active span's trace id, or undefined when no span is recording (tracing off). */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return undefined;
  return span.spanContext().traceId;
}

/** Names the active span once its name is known (the CLI's command after parsing). */
export function renameActiveSpan(name: string): void {
  trace.getActiveSpan()?.updateName(name);
}

/** The active span's context, for a link from another trace. */
export function activeSpanContext() {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext() : undefined;
}

/** Trace context as carried in a message: W3C `traceparent` (and `tracestate` when there is one). */
export interface TraceCarrier {
  traceparent?: string | null;
  tracestate?: string | null;
}

/**
 * Writes the active trace context into `carrier` (a plain object stored with a message: an
 * outbox event, a queue job's data) and returns it. Leaves it empty when tracing is off.
 */
export function injectTraceContext<T extends Record<string, unknown>>(carrier: T = {} as T): T & TraceCarrier {
  propagation.inject(context.active(), carrier, {
    set: (c, key, value) => {
      (c as Record<string, unknown>)[key] = value;
    },
  });
  return carrier;
}

/**
 * The trace context a message carries (see injectTraceContext), to start the consumer's span
 * from: `withSpan("...", { parent: extractTraceContext(msg) }, ...)` continues the producer's trace.
 * Anything malformed yields the root context (a new trace).
 */
export function extractTraceContext(carrier: TraceCarrier | null | undefined): Context {
  if (!carrier?.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier, {
    get: (c, key) => {
      const value = (c as Record<string, unknown>)[key];
      return typeof value === "string" ? value : undefined;
    },
    keys: (c) => Object.keys(c),
  });
}

/** The traceparent of a message, or null: what an outbox row stores. */
export function currentTraceparent(): string | null {
  return injectTraceContext({}).traceparent ?? null;
}

/**
 * Sends spans still waiting in the exporter's batch before the process exits (process.exit
 * drops them otherwise). A no-op without the SDK.
 */
export async function flushTraces(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = (provider.getDelegate?.() ?? provider) as { forceFlush?: () => Promise<void> };
  await delegate.forceFlush?.().catch(() => undefined);
}
