// Loaded with `node --import` before the app (scripts/up, npm start/worker, scripts/admin do so
// when OTEL_EXPORTER_OTLP_ENDPOINT is set):
//   node --import ./dist/src/tracing/register.js dist/src/server.js
// It has to run first: the instrumentations patch http, mongodb, mongoose, ioredis and pino
// as they are loaded. Without an endpoint it returns at once and loads no SDK.
import { ConfigError, loadTracingConfig } from "../config.js";

try {
  const tracing = loadTracingConfig();
  if (tracing.enabled) {
    const { startTracing } = await import("./sdk.js");
    startTracing(tracing);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `tracing failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
