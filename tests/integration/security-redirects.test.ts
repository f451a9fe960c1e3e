import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../support/context.js";
import { csrfToken, newAgent, signIn } from "../support/http.js";
import { seedTitle, viewer } from "../support/watching.js";

// Known ways to smuggle another origin through a "same-site path" check: protocol-relative
// forms, dot segments that collapse to "//" after normalisation, encodings, backslashes
// (browsers read "\" as "/"), tabs and newlines (browsers drop them), schemes and look-alikes.
const BYPASSES = [
  "//evil.example",
  "///evil.example",
  "////evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "/.//evil.example",
  "/./\\evil.example",
  "/././/evil.example",
  "/%2e//evil.example",
  "/%2E//evil.example",
  "/%2e%2e//evil.example",
  "/..//evil.example",
  "/../\\evil.example",
  "/a/..//evil.example",
  "/a/%2e%2e//evil.example",
  "/a/b/../..//evil.example",
  "/a/../../..//evil.example",
  "/.%2e/..//evil.example",
  "/%2e%2e/%2e%2e//evil.example",
  "/.\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\t\t/evil.example",
  "\t//evil.example",
  "/\r\n/evil.example",
  " //evil.example",
  "https://evil.example",
  "http://evil.example",
  "HTTPS://evil.example",
  "https:evil.example",
  "https:/evil.example",
  "https:\\\\evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "//evil.example@nextflix.test",
  "//evil.example/%2e%2e",
  "\uff0f\uff0fevil.example",
  "/\uff0f/evil.example",
  "/\u2215/evil.example",
  "/\u0000/evil.example",
  "/%0d%0a//evil.example",
  "/%09/evil.example",
  "/%5c/evil.example",
];

const SITE = "https://nextflix.test";

/** Where a browser would go from this Location header: it must stay on our origin. */
function expectStaysOnSite(location: string | undefined, label: string) {
  expect(location, label).toBeTruthy();
  expect(location!, label).toMatch(/^\/(?![/\\])/);
  expect(location!, label).not.toMatch(/[\s\\]/);
  expect(new URL(location!, SITE).origin, label).toBe(SITE);
}

let ctx: TestContext;
let v: Awaited<ReturnType<typeof viewer>>;
let titleId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  v = await viewer(ctx.app, ctx.deps);
  titleId = (await seedTitle(ctx.deps)).id;
});
afterAll(async () => {
  await ctx?.close();
});

describe("redirect targets", () => {
  it("have at least 40 known bypass strings to try", () => {
    expect(BYPASSES.length).toBeGreaterThanOrEqual(40);
  });

  it("GET /login?next=/.//evil.example sends a signed-in user to /browse, not //evil.example", async () => {
    const res = await v.agent.get("/login").query({ next: "/.//evil.example" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/browse");
  });

  it("keep a genuine path on this site", async () => {
    const res = await v.agent.get("/login").query({ next: "/title/metropolis?x=1" });
    expect(res.headers.location).toBe("/title/metropolis?x=1");
  });

  const routes: [string, (next: string) => Promise<{ status: number; headers: Record<string, string> }>][] = [
    ["GET /login", (next) => v.agent.get("/login").query({ next })],
    ["POST /account/language", (next) => v.agent.post("/account/language").type("form").send({ _csrf: v.token, locale: "en", next })],
    ["POST /my-list/:id", (next) => v.agent.post(`/my-list/${titleId}`).type("form").send({ _csrf: v.token, inList: "1", next })],
    ["POST /ratings/:id", (next) => v.agent.post(`/ratings/${titleId}`).type("form").send({ _csrf: v.token, value: "1", next })],
    ["POST /account/billing/plan", (next) => v.agent.post("/account/billing/plan").type("form").send({ _csrf: v.token, plan: "premium", next })],
    ["POST /profiles/:id/select", (next) => v.agent.post(`/profiles/${v.profileId}/select`).type("form").send({ _csrf: v.token, next })],
  ];

  it.each(routes)("%s never redirects off the site", async (label, send) => {
    for (const next of BYPASSES) {
      const res = await send(next);
      expect(res.status, `${label} ${JSON.stringify(next)}`).toBe(303);
      expectStaysOnSite(res.headers.location, `${label} ${JSON.stringify(next)}`);
    }
  });

  it("POST /login (the sign-in form) never redirects off the site", async () => {
    for (const next of BYPASSES) {
      const agent = newAgent(ctx.app);
      await csrfToken(agent);
      const res = await signIn(agent, v.user.email, undefined, { next });
      expect(res.status, JSON.stringify(next)).toBe(303);
      expectStaysOnSite(res.headers.location, `POST /login ${JSON.stringify(next)}`);
    }
  });
});
