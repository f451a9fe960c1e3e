import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfFrom, signedInAgent } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe("choosing the language", () => {
  it("follows Accept-Language for a first visit", async () => {
    const res = await request(ctx.app).get("/").set("Accept-Language", "vi-VN,vi;q=0.9,en;q=0.5");
    expect(res.text).toContain('<html lang="vi">');
    expect(res.headers.vary).toMatch(/Accept-Language/);
  });

  it("remembers the switcher's choice in a cookie for visitors, over Accept-Language", async () => {
    const agent = request.agent(ctx.app);
    const switched = await agent.get("/?lang=vi").set("Accept-Language", "en");
    expect(switched.text).toContain('<html lang="vi">');
    const later = await agent.get("/login").set("Accept-Language", "en");
    expect(later.text).toContain('<html lang="vi">');
    expect(later.text).toContain("Đăng nhập");
  });

  it("uses a signed-in user's saved language, changed with a POST", async () => {
    const { agent, email } = await signedInAgent(ctx.app);
    const page = await agent.get("/browse");
    expect(page.text).toContain('<html lang="en">');
    const res = await agent
      .post("/account/language")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), locale: "vi", next: "/browse" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/browse");
    expect((await ctx.deps.models.User.findOne({ email }).lean())?.locale).toBe("vi");
    const after = await agent.get("/browse").set("Accept-Language", "en");
    expect(after.text).toContain('<html lang="vi">');
  });
});
