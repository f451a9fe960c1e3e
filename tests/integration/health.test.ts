import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_METRICS_TOKEN, createTestContext, type TestContext } from "../support/context.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe("probes and metrics", () => {
  it("/live and /ready answer 200 with both services up", async () => {
    expect((await request(ctx.app).get("/live")).status).toBe(200);
    const ready = await request(ctx.app).get("/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ mongodb: "ok", redis: "ok" });
  });

  it("/ready turns 503 once shutdown begins, while /live stays 200", async () => {
    ctx.lifecycle.shuttingDown = true;
    try {
      expect((await request(ctx.app).get("/ready")).status).toBe(503);
      expect((await request(ctx.app).get("/live")).status).toBe(200);
    } finally {
      ctx.lifecycle.shuttingDown = false;
    }
  });

  it("/metrics exposes the HTTP histogram by route and the default process metrics", async () => {
    await request(ctx.app).get("/login");
    const res = await request(ctx.app).get("/metrics").set("Authorization", `Bearer ${TEST_METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/login"/);
    expect(res.text).toContain("process_cpu_user_seconds_total");
  });

  it("renders a translated 404 page for unknown paths", async () => {
    const res = await request(ctx.app).get("/no-such-page").set("Accept-Language", "vi");
    expect(res.status).toBe(404);
    expect(res.text).toContain("Không tìm thấy trang này.");
  });

  it("answers an htmx request for a missing page with a fragment, not a whole page", async () => {
    const res = await request(ctx.app).get("/no-such-page").set("HX-Request", "true");
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("<html");
    expect(res.text).toContain('role="alert"');
  });
});
