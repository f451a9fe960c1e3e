// The OpenTelemetry SDK: imported by register.ts only when tracing is on, so a process with
// tracing off never loads any of this. Spans are batched and sent to OTLP/HTTP
// (protobuf, or JSON when OTEL_EXPORTER_OTLP_PROTOCOL=http/json).
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { suppressTracing, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { MongoDBInstrumentation } from "@opentelemetry/instrumentation-mongodb";
import { MongooseInstrumentation } from "@opentelemetry/instrumentation-mongoose";
import { PinoInstrumentation } from "@opentelemetry/instrumentation-pino";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TracerProvider } from "@opentelemetry/sdk-trace";
import { register as registerEsmHooks } from "import-in-the-middle/register-hooks.mjs";
import type { TracingConfig } from "../config.js";
import { redisStatement } from "./redact.js";
import { routeOf } from "./route.js";
import { EdgeDecidedSampler, keepsIncomingRequest } from "./sampling.js";

/** The libraries whose ESM imports are patched; everything else loads untouched. */
const INSTRUMENTED_MODULES = ["ioredis", "mongodb", "mongoose", "pino", "http", "https", "node:http", "node:https"];

/** Requests that are not worth a trace: probes, the metrics scrape, static files and media. */
const UNTRACED_PATHS = /^\/(live|ready|metrics)$|^\/(static|vendor|media)\/|^\/favicon/;

/** nextflix-web, nextflix-worker or nextflix-cli, from the entry file the process runs. */
function serviceNameOf(entry: string | undefined): string {
  const base = path.basename(entry ?? "", path.extname(entry ?? ""));
  const role = base === "server" ? "web" : base === "main" ? "cli" : base || "node";
  return `nextflix-${role}`;
}

/** The app's version from package.json (src/tracing/ in development, dist/src/tracing/ built). */
function packageVersion(): string {
  for (const up of ["../..", "../../.."]) {
    const file = path.resolve(import.meta.dirname, up, "package.json");
    if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "unknown";
  }
  return "unknown";
}

export function startTracing(config: TracingConfig): void {
  // ESM imports of the instrumented packages go through import-in-the-middle (in-thread hooks);
  // their CommonJS requires are patched by the instrumentations themselves.
  registerEsmHooks({ include: INSTRUMENTED_MODULES });

  const version = packageVersion();
  const exporterOptions = { url: config.tracesUrl, headers: { ...config.headers } };
  const exporter = config.protocol === "http/json" ? new JsonExporter(exporterOptions) : new ProtobufExporter(exporterOptions);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": config.serviceName ?? serviceNameOf(process.argv[1]),
      "service.namespace": "nextflix",
      "service.version": version,
    }),
    // Every new trace at ratio 1 (no per-trace arithmetic); below 1, incoming requests are
    // sampled before any span exists (`traces` below) and other new traces by
    // trace id. A continued trace follows its parent's decision.
    sampler: new ParentBasedSampler({ root: config.sampleRatio >= 1 ? new AlwaysOnSampler() : new EdgeDecidedSampler(config.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: config.batchDelayMs })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);

  // Probes, scrapes and static files are never traced; of the rest, a request not kept by the
  // sampler runs with tracing suppressed, so it pays for no span at all. Decided once per request.
  const decided = new WeakMap<IncomingMessage, boolean>();
  const traces = (req: IncomingMessage) => {
    let kept = decided.get(req);
    if (kept === undefined) {
      kept = !UNTRACED_PATHS.test((req.url ?? "").split("?")[0] ?? "") && keepsIncomingRequest(req.headers, config.sampleRatio);
      decided.set(req, kept);
    }
    return kept;
  };
  const http = skipUntracedRequests(
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => !traces(req),
      // The request span is named after the route Express matched ("POST /admin/payments/:id/approve"),
      // read once the response is done, as the request metrics do (lib/metrics.ts). Express's own
      // instrumentation would do the same by wrapping every middleware of every request: it
      // cost more than all the spans it made.
      applyCustomAttributesOnSpan: (span, req) => {
        const route = routeOf(req);
        if (route === undefined) return;
        span.setAttribute("http.route", route);
        span.updateName(`${req.method ?? "GET"} ${route}`);
      },
    }),
    traces,
  );

  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      http,
      // One span per mongoose call (model and operation; no query text, no values); driver calls
      // made without mongoose get the driver's span, with values replaced by "?".
      new MongooseInstrumentation({ suppressInternalInstrumentation: true, requireParentSpan: true }),
      new MongoDBInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: redisStatement }),
      // trace_id / span_id in every log line written inside a span; logs stay on stdout.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
}

type Emit = (this: unknown, event: string, ...args: unknown[]) => boolean;

/**
 * A request that is not traced skips the http instrumentation altogether and runs with tracing
 * suppressed. Through `ignoreIncomingRequestHook` alone it would still have every listener on its
 * request and response wrapped to carry the context: most of what an untraced request cost in a
 * CPU profile of /browse. This wraps the instrumentation's handler of the server's "request"
 * event, which is not its public API: in a version without it nothing is wrapped, and the hook
 * alone keeps such requests untraced, at that cost.
 */
function skipUntracedRequests(http: HttpInstrumentation, traces: (req: IncomingMessage) => boolean): HttpInstrumentation {
  const internals = http as unknown as { _incomingRequestFunction?: (component: string, original: Emit) => Emit };
  const instrumented = internals._incomingRequestFunction;
  if (typeof instrumented !== "function") return http;
  internals._incomingRequestFunction = (component, original) => {
    const traced = instrumented.call(http, component, original);
    return function (this: unknown, event: string, ...args: unknown[]) {
      if (event === "request" && !traces(args[0] as IncomingMessage))
        return context.with(suppressTracing(context.active()), () => original.apply(this, [event, ...args]));
      return traced.apply(this, [event, ...args]);
    };
  };
  return http;
}
