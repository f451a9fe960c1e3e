// npx tsx bench/tracing-off-cost.ts: what the app's own tracing calls cost with tracing off (no
// SDK loaded, so the OpenTelemetry API's no-op tracer answers): withSpan around an async call,
// and activeTraceId(), the one call every request makes (request ids). Microseconds per call.
import { activeTraceId, withSpan } from "../src/lib/tracing.js";

const N = 200_000;
for (let round = 1; round <= 3; round++) {
  let t = performance.now();
  for (let i = 0; i < N; i++) await withSpan("x", { attributes: { a: 1 } }, async () => i);
  const span = ((performance.now() - t) * 1000) / N;
  t = performance.now();
  for (let i = 0; i < N; i++) await (async () => i)();
  const bare = ((performance.now() - t) * 1000) / N;
  t = performance.now();
  for (let i = 0; i < N; i++) activeTraceId();
  const id = ((performance.now() - t) * 1000) / N;
  console.log(`round ${round}: withSpan ${span.toFixed(2)} µs (the bare async call ${bare.toFixed(2)} µs); activeTraceId ${id.toFixed(3)} µs`);
}
