import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFerretDb, startRedis, type LocalService } from "../../tools/local-services.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { signedInAgent } from "../support/http.js";

// This file runs its own Redis and FerretDB so it can stop and restart them.
let dir: string;
let redis: LocalService;
let db: LocalService;
let ctx: TestContext;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "netflix-faults-"));
  redis = await startRedis({ dir: path.join(dir, "redis") });
  db = await startFerretDb({ dir: path.join(dir, "db") });
  ctx = await createTestContext({ REDIS_URL: redis.url, MONGODB_URI: db.url, REQUEST_TIMEOUT_MS: "3000", REDIS_COMMAND_TIMEOUT_MS: "500" });
});
afterAll(async () => {
  await ctx?.close();
  await Promise.all([redis?.stop(), db?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("condition not met in time");
}

describe("when Redis goes away", () => {
  it("signed-in requests end with a 503 page instead of hanging, and service recovers when Redis returns", async () => {
    const { agent } = await signedInAgent(ctx.app);
    expect((await agent.get("/browse")).status).toBe(200);

    await redis.stop();
    const started = Date.now();
    const down = await agent.get("/browse");
    expect(down.status).toBe(503);
    expect(down.text).toContain("temporarily unavailable");
    expect(Date.now() - started).toBeLessThan(ctx.config.requestTimeoutMs + 1000);
    expect((await request(ctx.app).get("/ready")).status).toBe(503);
    expect((await request(ctx.app).get("/live")).status).toBe(200);

    redis = await startRedis({ dir: path.join(dir, "redis"), port: redis.port });
    await eventually(async () => (await request(ctx.app).get("/ready")).status === 200);
    // Redis ran without persistence, so the old session is gone: the user is asked to sign in.
    const after = await agent.get("/browse");
    expect(after.status).toBe(303);
    expect((await request(ctx.app).get("/login")).status).toBe(200);
  });
});

describe("when the database goes away", () => {
  it("/ready says 503 within 2 s, /live stays 200, pages answer 503, and it recovers by itself", async () => {
    const { agent } = await signedInAgent(ctx.app);
    await db.stop();

    const started = Date.now();
    const ready = await request(ctx.app).get("/ready");
    expect(ready.status).toBe(503);
    expect(ready.body.checks.mongodb).toBe("down");
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await request(ctx.app).get("/live")).status).toBe(200);
    expect((await agent.get("/browse")).status).toBe(503);

    db = await startFerretDb({ dir: path.join(dir, "db"), port: db.port });
    await eventually(async () => (await request(ctx.app).get("/ready")).status === 200, 40_000);
    expect((await agent.get("/browse")).status).toBe(200);
  });
});
