// A real app for a test file: its own database on the shared test server, the shared Redis.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import { closeDeps, createDeps } from "../../src/deps.js";
import type { Deps } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";
import type { Lifecycle } from "../../src/routes/health.js";

export function uniqueDbUri(base: string): string {
  const url = new URL(base);
  url.pathname = `/t_${randomBytes(6).toString("hex")}`;
  return url.toString();
}

/** The scraper token test apps are configured with: `Authorization: Bearer <this>` on /metrics. */
export const TEST_METRICS_TOKEN = "test-metrics-token-0123456789";

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "test",
    MONGODB_URI: uniqueDbUri(inject("mongoUri")),
    REDIS_URL: inject("redisUrl"),
    SESSION_SECRET: "test-secret-that-is-long-enough-0123456789",
    LOG_LEVEL: "silent",
    // Many files sign in from 127.0.0.1 at once; tests of these limits set their own values.
    LOGIN_MAX_FAILURES_PER_IP: "100000",
    GENERAL_RATE_LIMIT_PER_MINUTE: "100000",
    // Every file registers users from 127.0.0.1; the test of this limit sets its own value.
    REGISTER_MAX_PER_IP_PER_HOUR: "100000",
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    // Buffered progress saves reach the database quickly, for tests that wait for it.
    PROGRESS_FLUSH_DELAY_MS: "500",
    ...overrides,
  };
}

export interface TestContext {
  config: Config;
  deps: Deps;
  lifecycle: Lifecycle;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

export async function createTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const config = loadConfig(testEnv(overrides));
  const deps = await createDeps(config, { name: "test", logger: createLogger("silent") });
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp(deps, lifecycle);
  return {
    config,
    deps,
    lifecycle,
    app,
    close: async () => {
      await deps.conn.dropDatabase().catch(() => undefined);
      await closeDeps(deps);
    },
  };
}

/** A second app instance on the same database and Redis, as behind a load balancer. */
export function secondInstance(ctx: TestContext) {
  return createApp(ctx.deps, { shuttingDown: false });
}
