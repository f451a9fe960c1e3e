import type { Router } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminRouter } from "../../src/routes/admin/index.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { activeSubscriber, adminAgent, insertUser, objectId, pendingPayment, signedInAs } from "../support/billing.js";
import { csrfFrom, csrfToken, newAgent } from "../support/http.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every route the admin router serves, found by walking its stack (sub-routers included). */
function adminRoutes(router: Router): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route)
        for (const method of Object.keys(layer.route.methods)) out.push({ method, path: `/admin${layer.route.path === "/" ? "" : layer.route.path}` });
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return out;
}

const fill = (path: string) =>
  path
    .replace(/:id/g, objectId())
    .replace(/:name/g, "purge")
    .replace(/:[a-zA-Z]+/g, "x");

describe("admin access control", () => {
  const routes = () => adminRoutes(adminRouter(ctx.deps));

  it("finds the admin pages, fragments and actions to check", () => {
    const paths = routes().map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        "get /admin",
        "get /admin/users",
        "get /admin/users/:id",
        "post /admin/payments/:id/approve",
        "post /admin/payments/:id/reject",
        "get /admin/jobs",
        "post /admin/jobs/:name/run",
        "get /admin/audit",
        "get /admin/users.csv",
        "get /admin/payments.csv",
      ]),
    );
    expect(paths.length).toBeGreaterThanOrEqual(15);
  });

  it("every admin route answers 403 to a subscriber, as a page and as an htmx fragment", async () => {
    const user = await activeSubscriber(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    const token = await csrfToken(agent, "/plans");
    for (const r of routes()) {
      const path = fill(r.path);
      const call = () => (r.method === "get" ? agent.get(path) : agent.post(path).type("form").send({ _csrf: token }));
      expect((await call()).status, `${r.method} ${path}`).toBe(403);
      expect((await call().set("HX-Request", "true").set("HX-Target", "main")).status, `${r.method} ${path} (htmx)`).toBe(403);
    }
  });

  it("every admin route sends anonymous visitors to sign in", async () => {
    const agent = newAgent(ctx.app);
    const token = await csrfToken(agent, "/login");
    for (const r of routes()) {
      const path = fill(r.path);
      const res = r.method === "get" ? await agent.get(path) : await agent.post(path).type("form").send({ _csrf: token });
      expect(res.status, `${r.method} ${path}`).toBe(303);
      expect(res.headers.location).toMatch(/^\/login\?next=/);
      const hx =
        r.method === "get"
          ? await agent.get(path).set("HX-Request", "true")
          : await agent.post(path).set("HX-Request", "true").type("form").send({ _csrf: token });
      expect(hx.status, `${r.method} ${path} (htmx)`).toBe(401);
      expect(hx.headers["hx-redirect"]).toMatch(/^\/login\?next=/);
    }
  });

  it("an admin gets every page", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    for (const path of ["/admin", "/admin/users", "/admin/payments", "/admin/jobs", "/admin/audit", "/admin/users.csv", "/admin/payments.csv"]) {
      expect((await agent.get(path)).status, path).toBe(200);
    }
  });
});

describe("admin payments queue", () => {
  it("approve swaps the row in place, and a second approve says already approved", async () => {
    const { agent, admin } = await adminAgent(ctx.app, ctx.deps);
    const user = await insertUser(ctx.deps);
    const p = await pendingPayment(ctx.deps, user.id);
    const page = await agent.get("/admin/payments");
    expect(page.text).toContain(`id="payment-${p.id}"`);
    const token = csrfFrom(page.text);
    const hx = (path: string, body: Record<string, string> = {}) =>
      agent.post(path).set("HX-Request", "true").set("HX-Target", `payment-${p.id}`).set("x-csrf-token", token).type("form").send(body);
    const first = await hx(`/admin/payments/${p.id}/approve`);
    expect(first.status).toBe(200);
    expect(first.text.trim().startsWith(`<tr id="payment-${p.id}"`)).toBe(true);
    expect(first.text).toContain("Approved");
    const second = await hx(`/admin/payments/${p.id}/approve`);
    expect(second.text).toContain("Already approved.");
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "payment.approve", target: `payment:${p.id}`, actor: `user:${admin.id}` })).toBe(1);
    expect((await ctx.deps.models.User.findById(user.id).lean())?.subscription?.status).toBe("active");
  });

  it("reject needs a reason, then records it; approving afterwards is refused in the row", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const user = await insertUser(ctx.deps);
    const p = await pendingPayment(ctx.deps, user.id);
    const token = csrfFrom((await agent.get("/admin/payments")).text);
    const missing = await agent.post(`/admin/payments/${p.id}/reject`).type("form").send({ _csrf: token, reason: "" });
    expect(missing.status).toBe(422);
    const ok = await agent.post(`/admin/payments/${p.id}/reject`).type("form").send({ _csrf: token, reason: "no transfer arrived" });
    expect(ok.status).toBe(303);
    const payment = await ctx.deps.models.Payment.findById(p.id).lean();
    expect(payment?.status).toBe("rejected");
    expect(payment?.reason).toBe("no transfer arrived");
    const late = await agent.post(`/admin/payments/${p.id}/approve`).set("HX-Request", "true").set("HX-Target", `payment-${p.id}`).set("x-csrf-token", token);
    expect(late.status).toBe(409);
    expect(late.text).toContain("A rejected payment cannot be approved.");
  });

  it("exports payments as CSV with neutralized formulas", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const user = await insertUser(ctx.deps, { displayName: "=cmd|calc" });
    await pendingPayment(ctx.deps, user.id);
    const csv = await agent.get("/admin/payments.csv");
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.text).toContain(user.email);
    const users = await agent.get("/admin/users.csv?q=" + encodeURIComponent(user.email));
    expect(users.text).toContain("'=cmd|calc");
    expect(users.text.split("\r\n").filter(Boolean)).toHaveLength(2);
  });
});

describe("admin users", () => {
  it("searches by email prefix and filters by subscription status", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const sub = await activeSubscriber(ctx.deps);
    const res = await agent.get(`/admin/users?q=${encodeURIComponent(sub.email.slice(0, 14))}&subscription=active`);
    expect(res.text).toContain(`href="/admin/users/${sub.id}"`);
    const none = await agent.get(`/admin/users?q=${encodeURIComponent(sub.email)}&subscription=expired`);
    expect(none.text).not.toContain(`href="/admin/users/${sub.id}"`);
    const injected = await agent.get("/admin/users?q=.*");
    expect(injected.status).toBe(200);
    expect(injected.text).toContain("No users match.");
  });

  it("suspending turns a live session away at once; extend and plan changes are audited", async () => {
    const { agent, admin } = await adminAgent(ctx.app, ctx.deps);
    const sub = await activeSubscriber(ctx.deps);
    const subscriber = await signedInAs(ctx.app, sub.email);
    expect((await subscriber.get("/plans")).status).toBe(200);
    const detail = await agent.get(`/admin/users/${sub.id}`);
    const token = csrfFrom(detail.text);
    await agent.post(`/admin/users/${sub.id}/suspend`).type("form").send({ _csrf: token }).expect(303);
    const after = await subscriber.get("/plans");
    expect(after.status).toBe(303);
    expect(after.headers.location).toContain("/login");
    await agent.post(`/admin/users/${sub.id}/unsuspend`).type("form").send({ _csrf: token }).expect(303);
    const before = (await ctx.deps.models.User.findById(sub.id).lean())!.subscription.currentPeriodEnd!.getTime();
    await agent.post(`/admin/users/${sub.id}/extend`).type("form").send({ _csrf: token, days: "7" }).expect(303);
    const end = (await ctx.deps.models.User.findById(sub.id).lean())!.subscription.currentPeriodEnd!.getTime();
    expect(end - before).toBe(7 * 86_400_000);
    await agent.post(`/admin/users/${sub.id}/plan`).type("form").send({ _csrf: token, plan: "premium" }).expect(303);
    expect((await ctx.deps.models.User.findById(sub.id).lean())?.subscription?.plan).toBe("premium");
    const actions = (await ctx.deps.models.AuditLog.find({ actor: `user:${admin.id}`, target: `user:${sub.id}` }).lean()).map((a) => a.action).sort();
    expect(actions).toEqual(["subscription.extend", "subscription.set-plan", "user.suspend", "user.unsuspend"]);
    const audit = await agent.get(`/admin/audit?actor=${encodeURIComponent(`user:${admin.id}`)}&action=user.`);
    expect(audit.text).toContain("user.suspend");
    expect(audit.text).not.toContain("subscription.extend");
  });

  it("an unknown field in an admin form is refused and changes nothing", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const sub = await activeSubscriber(ctx.deps);
    const token = csrfFrom((await agent.get(`/admin/users/${sub.id}`)).text);
    const res = await agent.post(`/admin/users/${sub.id}/plan`).type("form").send({ _csrf: token, plan: "premium", role: "admin" });
    expect(res.status).toBe(400);
    expect((await ctx.deps.models.User.findById(sub.id).lean())?.subscription?.plan).toBe("standard");
  });
});

describe("admin jobs and dashboard", () => {
  it("run now records a manual run and the dashboard draws labelled SVG charts", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const jobs = await agent.get("/admin/jobs");
    expect(jobs.text).toContain("expire-subscriptions");
    const res = await agent
      .post("/admin/jobs/purge/run")
      .type("form")
      .send({ _csrf: csrfFrom(jobs.text) });
    expect(res.status).toBe(303);
    const run = await ctx.deps.models.JobRun.findOne({ job: "purge", trigger: "manual" }).lean();
    expect(run?.status).toBe("succeeded");
    const dash = await agent.get("/admin");
    expect(dash.text).toContain('<svg viewBox="0 0 480 210" role="img"');
    expect(dash.text).toMatch(/<desc id="revenue-desc">/);
    expect(dash.text).toContain("Active subscribers");
  });
});

describe("admin catalog CMS", () => {
  it("creates a draft, edits it, publishes it in place and audits each step", async () => {
    const { agent, admin } = await adminAgent(ctx.app, ctx.deps);
    const form = await agent.get("/admin/catalog/new");
    expect(form.status).toBe(200);
    const token = csrfFrom(form.text);
    const created = await agent
      .post("/admin/catalog")
      .type("form")
      .send(
        `_csrf=${encodeURIComponent(token)}&kind=movie&title=${encodeURIComponent("<img src=x onerror=alert(1)> Night")}&year=1931&runtimeMin=81&maturity=PG&genres=drama&genres=horror&overview=A+test`,
      );
    expect(created.status).toBe(303);
    const id = created.headers.location!.split("/").pop()!;
    const title = await ctx.deps.models.Title.findById(id).lean();
    expect(title).toMatchObject({ status: "draft", year: 1931, genres: ["drama", "horror"], slug: "img-src-x-onerror-alert-1-night-1931" });
    const list = await agent.get("/admin/catalog?status=draft");
    expect(list.text).toContain("&lt;img src=x onerror=alert(1)&gt; Night");
    expect(list.text).not.toContain("<img src=x");
    const edit = await agent
      .post(`/admin/catalog/${id}`)
      .type("form")
      .send({ _csrf: token, kind: "movie", title: "Night of Tests", year: "1931", maturity: "PG-13", overview: "Edited" });
    expect(edit.status).toBe(303);
    expect((await ctx.deps.models.Title.findById(id).lean())?.title).toBe("Night of Tests");
    const bad = await agent.post(`/admin/catalog/${id}`).type("form").send({ _csrf: token, kind: "movie", title: "", maturity: "PG-13" });
    expect(bad.status).toBe(422);
    const pub = await agent.post(`/admin/catalog/${id}/publish`).set("HX-Request", "true").set("HX-Target", `title-${id}`).set("x-csrf-token", token);
    expect(pub.status).toBe(200);
    expect(pub.text.trim().startsWith(`<tr id="title-${id}"`)).toBe(true);
    expect(pub.text).toContain("Published");
    expect((await ctx.deps.models.Title.findById(id).lean())?.status).toBe("published");
    const actions = (await ctx.deps.models.AuditLog.find({ actor: `user:${admin.id}`, target: `title:${id}` }).lean()).map((a) => a.action);
    expect(actions).toEqual(["title.create", "title.update", "title.publish"]);
  });

  it("import without a TMDB key explains what to configure and changes nothing", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const page = await agent.get("/admin/catalog");
    const before = await ctx.deps.models.Title.countDocuments();
    const res = await agent
      .post("/admin/catalog/import")
      .type("form")
      .send({ _csrf: csrfFrom(page.text), tmdbId: "603", kind: "movie" });
    expect(res.status).toBe(303);
    const after = await agent.get("/admin/catalog");
    expect(after.text).toContain("TMDB is not configured");
    expect(await ctx.deps.models.Title.countDocuments()).toBe(before);
  });
});
