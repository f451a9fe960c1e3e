// Which traces are kept, decided as early as possible so a request that is not kept costs next
// to nothing: no span objects, no attributes, no ids, no export.
import { SpanKind, type Attributes, type Context, type Link } from "@opentelemetry/api";
import { SamplingDecision, TraceIdRatioBasedSampler, type Sampler, type SamplingResult } from "@opentelemetry/sdk-trace";

/**
 * Whether an incoming request starts a trace. A request that carries a `traceparent` continues
 * its caller's trace (the caller's sampled flag decides, as with any parent-based sampler); any
 * other is kept with probability `ratio`. A request not kept runs with tracing suppressed: no
 * span in it records, and nothing it does (database, Redis, outbox events) starts a trace.
 */
export function keepsIncomingRequest(headers: Record<string, string | string[] | undefined>, ratio: number, random: () => number = Math.random): boolean {
  if (ratio >= 1 || headers.traceparent !== undefined) return true;
  return random() < ratio;
}

/**
 * The root sampler: an incoming request's server span was already kept at the edge
 * (keepsIncomingRequest), so it is recorded; every other new trace (a cron fire, a CLI command,
 * an outbox delivery without a stored context) is kept with probability `ratio`, by its trace id.
 */
export class EdgeDecidedSampler implements Sampler {
  private readonly ratio: Sampler;

  constructor(ratio: number) {
    this.ratio = new TraceIdRatioBasedSampler(ratio);
  }

  shouldSample(ctx: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    if (kind === SpanKind.SERVER) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return this.ratio.shouldSample(ctx, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `EdgeDecidedSampler{${this.ratio.toString()}}`;
  }
}
