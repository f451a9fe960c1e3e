import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTitle } from "../../src/services/catalog/index.js";
import { adminAgent } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfFrom, type Agent } from "../support/http.js";

let ctx: TestContext;
let agent: Agent;
let token: string;
beforeAll(async () => {
  ctx = await createTestContext();
  agent = (await adminAgent(ctx.app, ctx.deps)).agent;
  token = csrfFrom((await agent.get("/admin/catalog/new")).text);
});
afterAll(async () => {
  await ctx?.close();
});

let n = 0;
function postTitle(fields: Record<string, string>) {
  n += 1;
  const slug = `url-check-${Date.now().toString(36)}-${n}`;
  return agent
    .post("/admin/catalog")
    .type("form")
    .send({ _csrf: token, kind: "movie", title: `Url Check ${n}`, slug, maturity: "PG", ...fields })
    .then((res) => ({ res, slug }));
}

const BAD_URLS = [
  "javascript:alert(1)",
  "JavaScript:alert(document.cookie)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "file:///etc/passwd",
  "ftp://example.com/a.jpg",
  "//evil.example/poster.jpg",
  "/\\evil.example/poster.jpg",
  "relative/poster.jpg",
  "https://",
  "https://exa mple.com/a.jpg",
];

describe("admin title URLs", () => {
  it.each(["posterUrl", "backdropUrl", "hlsUrl"])("refuse a %s that is not http(s) or a site path, and store nothing", async (field) => {
    for (const url of BAD_URLS) {
      const { res, slug } = await postTitle({ [field]: url });
      expect(res.status, `${field}=${url}`).toBe(422);
      expect(res.text).toContain("Use an http(s) address or a path on this site");
      expect(await ctx.deps.models.Title.countDocuments({ slug })).toBe(0);
    }
  });

  it("accept https, http and site-relative URLs", async () => {
    const { res, slug } = await postTitle({
      posterUrl: "https://image.tmdb.org/t/p/w500/abc.jpg",
      backdropUrl: "/static/img/backdrop.jpg",
      hlsUrl: "http://media.internal.example/film/master.m3u8",
      youtubeKey: "dQw4w9WgXcQ",
    });
    expect(res.status).toBe(303);
    const title = await ctx.deps.models.Title.findOne({ slug }).lean();
    expect(title).toMatchObject({ posterUrl: "https://image.tmdb.org/t/p/w500/abc.jpg", trailer: { youtubeKey: "dQw4w9WgXcQ" } });
  });

  it.each(["short", "dQw4w9WgXcQ-too-long", "dQw4w9WgXc!", "../../evil"])("refuse the YouTube id %j", async (youtubeKey) => {
    const { res, slug } = await postTitle({ youtubeKey });
    expect(res.status).toBe(422);
    expect(await ctx.deps.models.Title.countDocuments({ slug })).toBe(0);
  });

  it("refuse a javascript: stream URL through the service as well (CLI, imports)", async () => {
    await expect(
      createTitle(ctx.deps, { kind: "movie", slug: `svc-${Date.now().toString(36)}`, title: "Svc", maturity: "PG", media: { hlsUrl: "javascript:alert(1)" } }),
    ).rejects.toThrow();
    await expect(
      createTitle(ctx.deps, {
        kind: "movie",
        slug: `svc2-${Date.now().toString(36)}`,
        title: "Svc",
        maturity: "PG",
        trailer: { youtubeKey: null, hlsUrl: "data:application/x-mpegURL,#EXTM3U" },
      }),
    ).rejects.toThrow();
  });
});
