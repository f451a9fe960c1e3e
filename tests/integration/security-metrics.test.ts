import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";

const TOKEN = "scraper-token-0123456789abcdef";

let open: TestContext;
let guarded: TestContext;
beforeAll(async () => {
  open = await createTestContext({ METRICS_TOKEN: "" });
  guarded = await createTestContext({ METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close()]);
});

describe("/metrics", () => {
  it("is not served at all without a METRICS_TOKEN in the configuration", async () => {
    const res = await request(open.app).get("/metrics");
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("http_request_duration_seconds");
  });

  it("answers 401 without a bearer token or with a wrong one", async () => {
    for (const auth of [undefined, "Bearer nope", `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, "Bearer "]) {
      const req = request(guarded.app).get("/metrics");
      const res = await (auth === undefined ? req : req.set("Authorization", auth));
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers["www-authenticate"]).toBe("Bearer");
      expect(res.text).not.toContain("http_request_duration_seconds");
    }
  });

  it("gives the scraper with the right token the Prometheus text", async () => {
    const res = await request(guarded.app).get("/metrics").set("Authorization", `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("http_request_duration_seconds");
  });
});
