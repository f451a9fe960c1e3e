import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { newAgent, signedInAgent } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "media-"));
  for (const sub of ["demo", "trailer"]) {
    mkdirSync(path.join(dir, sub), { recursive: true });
    writeFileSync(path.join(dir, sub, "master.m3u8"), "#EXTM3U\n");
  }
  ctx = await createTestContext({ MEDIA_DIR: dir });
});
afterAll(async () => {
  await ctx?.close();
});

describe("/media", () => {
  it("serves trailers to anyone signed in but streams only to active subscribers", async () => {
    const { agent, email } = await signedInAgent(ctx.app);
    const trailer = await agent.get("/media/trailer/master.m3u8");
    expect(trailer.status).toBe(200);
    expect(trailer.headers["content-type"]).toMatch(/mpegurl/i);
    expect((await agent.get("/media/demo/master.m3u8")).status).toBe(403);
    await ctx.deps.models.User.updateOne(
      { email },
      { $set: { subscription: { plan: "basic", status: "active", currentPeriodEnd: new Date(Date.now() + 86_400_000) } } },
    );
    expect((await agent.get("/media/demo/master.m3u8")).status).toBe(200);
    expect((await agent.get("/media/demo/missing.m3u8")).status).toBe(404);
  });

  it("sends anonymous visitors to sign in", async () => {
    expect((await newAgent(ctx.app).get("/media/trailer/master.m3u8")).status).toBe(303);
  });
});
