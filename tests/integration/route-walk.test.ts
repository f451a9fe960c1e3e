// Every route the app registers, walked with bad input: malformed ids and slugs, a repeated query
// parameter, an unknown query key. Whoever asks (visitor, subscriber, admin), the answer is a
// 3xx/4xx page or fragment, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCatalog } from "../../src/services/catalog/seed.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { adminAgent } from "../support/billing.js";
import { csrfFrom, newAgent, type Agent } from "../support/http.js";
import { appRoutes, type AppRoute as Route } from "../support/routes.js";
import { viewer } from "../support/watching.js";

const BAD_PARAMS = ["nope", "NOPE!!", "0123456789abcdef01234567", "%24ne", "..%2f..%2fetc", "a".repeat(300), "%00", "%E2%80%AE"];
const fill = (path: string, value: string) => path.replace(/:[a-zA-Z]+/g, value);

let ctx: TestContext;
let routes: Route[];
let who: { name: string; agent: Agent; token: string }[];

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoCatalog(ctx.deps);
  routes = appRoutes(ctx.app);
  const visitor = newAgent(ctx.app);
  const subscriber = await viewer(ctx.app, ctx.deps);
  await subscriber.agent.post(`/profiles/${subscriber.profileId}/select`).type("form").send({ _csrf: subscriber.token });
  const admin = (await adminAgent(ctx.app, ctx.deps)).agent;
  who = [
    { name: "visitor", agent: visitor, token: csrfFrom((await visitor.get("/login")).text) },
    { name: "subscriber", agent: subscriber.agent, token: csrfFrom((await subscriber.agent.get("/account")).text) },
    { name: "admin", agent: admin, token: csrfFrom((await admin.get("/admin")).text) },
  ];
}, 60_000);
afterAll(async () => {
  await ctx?.close();
});

async function send(agent: Agent, token: string, method: string, url: string, htmx: boolean) {
  let req = method === "get" ? agent.get(url) : method === "post" ? agent.post(url) : method === "delete" ? agent.delete(url) : agent.put(url);
  req = req.set("X-CSRF-Token", token);
  if (htmx) req = req.set("HX-Request", "true");
  if (method !== "get") req = req.type("form").send({ _csrf: token });
  return req.redirects(0);
}

describe("route walk", () => {
  it("finds the pages, fragments and actions of every area", () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(["get /browse", "get /title/:slug", "get /profiles/:id/edit", "get /checkout/:id", "get /admin/users/:id", "post /progress"]),
    );
    expect(paths.length).toBeGreaterThan(60);
  });

  it("answers malformed ids and slugs with 3xx/4xx for everyone, as pages and as fragments", async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.path.includes(":"))) {
      for (const bad of BAD_PARAMS) {
        const url = fill(route.path, bad);
        for (const { name, agent, token } of who) {
          for (const htmx of [false, true]) {
            const res = await send(agent, token, route.method, url, htmx);
            if (res.status >= 500)
              failures.push(`${name} ${route.method.toUpperCase()} ${route.path} with ${bad.slice(0, 20)}${htmx ? " (htmx)" : ""} -> ${res.status}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers a bad id or slug on a page with 404 for a subscriber who may see the area", async () => {
    const { agent, token } = who[1]!;
    const pages = ["/profiles/:id/edit", "/profiles/:id/unlock", "/title/:slug", "/genre/:slug", "/checkout/:id", "/watch/:slug"];
    for (const page of pages) {
      const res = await send(agent, token, "get", fill(page, "nope"), false);
      expect(res.status, page).toBe(404);
    }
  });

  it("answers a repeated query parameter with 400 and an unknown query key without a 5xx", async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.method === "get")) {
      const base = fill(route.path, "nope");
      for (const { name, agent, token } of who) {
        const repeated = await send(agent, token, "get", `${base}?next=/a&next=/b&q=a&q=b&page=1&page=2`, false);
        if (repeated.status !== 400) failures.push(`${name} ${base} repeated -> ${repeated.status}`);
        const unknown = await send(agent, token, "get", `${base}?zzz=1&${"k".repeat(40)}=${"v".repeat(40)}`, false);
        if (unknown.status >= 500) failures.push(`${name} ${base} unknown key -> ${unknown.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("keeps the known cases that once were 500s at their right status", async () => {
    const [visitor, subscriber] = who;
    expect((await visitor!.agent.get("/login?next=a&next=b")).status).toBe(400);
    expect((await subscriber!.agent.get("/profiles?next=a&next=b")).status).toBe(400);
    expect((await subscriber!.agent.get("/profiles/nope/edit")).status).toBe(404);
    expect((await subscriber!.agent.get("/profiles/nope/unlock")).status).toBe(404);
    const checkout = await subscriber!.agent.get("/checkout/zzz");
    expect(checkout.status).toBe(404);
    expect(checkout.text).not.toMatch(/highlighted/i);
  });
});
