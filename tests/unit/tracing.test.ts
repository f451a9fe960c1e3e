// Tracing settings and what spans may say: off by default, a malformed setting stops the
// process with its name, and Redis statements never carry a key's variable part.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadTracingConfig } from "../../src/config.js";
import { extractTraceContext, injectTraceContext, withSpan } from "../../src/lib/tracing.js";
import { redisStatement } from "../../src/tracing/redact.js";
import { routeOf } from "../../src/tracing/route.js";
import { EdgeDecidedSampler, keepsIncomingRequest } from "../../src/tracing/sampling.js";
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace";

const base = { MONGODB_URI: "mongodb://127.0.0.1:27017/x", REDIS_URL: "redis://127.0.0.1:6379", SESSION_SECRET: "s".repeat(32) };

describe("tracing settings", () => {
  it("are off without an endpoint, and an empty endpoint is off too", () => {
    expect(loadConfig(base).tracing.enabled).toBe(false);
    expect(loadTracingConfig({}).enabled).toBe(false);
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "" }).enabled).toBe(false);
  });

  it("send to <endpoint>/v1/traces with the collector's headers", () => {
    const t = loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example.com:4318/", OTEL_EXPORTER_OTLP_HEADERS: "api-key=a%20b, x-team=ops" });
    expect(t).toMatchObject({ enabled: true, tracesUrl: "https://otel.example.com:4318/v1/traces", protocol: "http/protobuf", sampleRatio: 1 });
    expect(t.headers).toEqual({ "api-key": "a b", "x-team": "ops" });
  });

  it("refuse what they cannot use, naming the variable", () => {
    for (const env of [
      { OTEL_EXPORTER_OTLP_ENDPOINT: "otel-collector:4318" },
      { OTEL_EXPORTER_OTLP_ENDPOINT: "grpc://x:4317" },
      { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" },
      { OTEL_TRACES_SAMPLER_ARG: "2" },
      { OTEL_EXPORTER_OTLP_HEADERS: "no-equals-sign" },
    ]) {
      const name = Object.keys(env)[0]!;
      expect(() => loadTracingConfig(env), name).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, ...env }), name).toThrow(name);
    }
  });
});

describe("without the SDK", () => {
  it("spans cost nothing and carry no context: nothing is injected into a message", async () => {
    const carrier = await withSpan("outbox.enqueue x", {}, async () => injectTraceContext({}));
    expect(carrier).toEqual({});
    expect(() => extractTraceContext({ traceparent: "garbage" })).not.toThrow();
  });
});

describe("Redis span statements", () => {
  it("name the command and key prefixes only", () => {
    expect(redisStatement("get", ["sess:z7ikNKGjb8ZkJSWgXuua2"])).toBe("get sess:*");
    expect(redisStatement("set", ["sess:abc", '{"auth":{}}', "EX", 7200])).toBe("set sess:*");
    expect(redisStatement("evalsha", ["895b92e1", 1, "rl:general:127.0.0.1", 60000])).toBe("evalsha rl:*");
    expect(redisStatement("mget", ["state:user:1", "state:unread:2"])).toBe("mget state:*");
    expect(redisStatement("ping", [])).toBe("ping");
  });
});

describe("sampling", () => {
  it("keeps every request at ratio 1, none at 0 unless the caller's trace continues, about the ratio between", () => {
    expect(keepsIncomingRequest({}, 1, () => 0.999)).toBe(true);
    expect(keepsIncomingRequest({}, 0, () => 0)).toBe(false);
    expect(keepsIncomingRequest({ traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }, 0)).toBe(true);
    expect(keepsIncomingRequest({}, 0.1, () => 0.05)).toBe(true);
    expect(keepsIncomingRequest({}, 0.1, () => 0.5)).toBe(false);
    let kept = 0;
    for (let i = 0; i < 10_000; i++) if (keepsIncomingRequest({}, 0.1)) kept++;
    // Binomial(10000, 0.1): 1000 ± 30; outside 800-1200 is beyond any chance.
    expect(kept).toBeGreaterThan(800);
    expect(kept).toBeLessThan(1200);
  });

  it("records a request's span (kept at the edge) and samples other new traces by trace id", () => {
    const sampler = new EdgeDecidedSampler(0);
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    expect(sampler.shouldSample(ROOT_CONTEXT, traceId, "GET /browse", SpanKind.SERVER, {}, []).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(sampler.shouldSample(ROOT_CONTEXT, traceId, "cron", SpanKind.INTERNAL, {}, []).decision).toBe(SamplingDecision.NOT_RECORD);
    expect(new EdgeDecidedSampler(1).shouldSample(ROOT_CONTEXT, traceId, "cron", SpanKind.INTERNAL, {}, []).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});

describe("request span names", () => {
  it("are the route pattern Express matched, under the path its router is mounted at", () => {
    expect(routeOf({ method: "POST", baseUrl: "/admin", route: { path: "/payments/:id/approve" } })).toBe("/admin/payments/:id/approve");
    expect(routeOf({ method: "GET", baseUrl: "", route: { path: "/browse" } })).toBe("/browse");
    expect(routeOf({ method: "GET", baseUrl: "" })).toBeUndefined();
    expect(routeOf({ method: "GET", route: { path: /x/ } })).toBeUndefined();
  });
});
