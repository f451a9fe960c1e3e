// Every page a visitor, a subscriber and an operator can open, checked by the Nu Html Checker
// (vnu.jar, on the machine's Java): no errors at all.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCatalog } from "../../src/services/catalog/seed.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { adminAgent, pendingPayment } from "../support/billing.js";
import { csrfFrom, GOOD_PASSWORD, newAgent, signIn, type Agent } from "../support/http.js";
import { totpCode } from "../support/two-factor.js";
import { approvePayment } from "../../src/services/billing/index.js";
import { appRoutes } from "../support/routes.js";
import { viewer } from "../support/watching.js";

const VNU_JAR = createRequire(import.meta.url).resolve("vnu-jar/build/dist/vnu.jar");

let ctx: TestContext;
let dir: string;
const pages: { name: string; url: string; html: string }[] = [];

async function collect(name: string, agent: Agent, url: string) {
  const res = await agent.get(url).redirects(0);
  if (res.status === 200 && /text\/html/.test(String(res.headers["content-type"]))) pages.push({ name, url, html: res.text });
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoCatalog(ctx.deps);
  const film = await ctx.deps.models.Title.findOne({ kind: "movie", status: "published" }).lean();
  const series = await ctx.deps.models.Title.findOne({ kind: "series", status: "published" }).lean();
  const subscriber = await viewer(ctx.app, ctx.deps);
  await subscriber.agent.post(`/profiles/${subscriber.profileId}/select`).type("form").send({ _csrf: subscriber.token });
  const unpaid = await viewer(ctx.app, ctx.deps, { subscribed: false });
  const payment = await pendingPayment(ctx.deps, unpaid.user.id);
  const { agent: admin } = await adminAgent(ctx.app, ctx.deps);
  csrfFrom((await admin.get("/admin")).text);

  const fill = (route: string, who: "visitor" | "subscriber" | "unpaid" | "admin") =>
    route
      .replace(":slug", route.startsWith("/genre") ? "drama" : film!.slug)
      .replace(":season", "1")
      .replace(":episode", "1")
      .replace(
        ":id",
        route.startsWith("/admin/users")
          ? unpaid.user.id
          : route.startsWith("/admin/catalog")
            ? String(film!._id)
            : route.startsWith("/checkout")
              ? payment.id
              : who === "unpaid"
                ? unpaid.profileId
                : subscriber.profileId,
      )
      .replace(":name", "purge")
      .replace(/:[a-zA-Z]+/g, "x");
  const routes = appRoutes(ctx.app)
    .filter((r) => r.method === "get")
    .map((r) => r.path)
    .filter((r) => !/\.(css|js|svg|csv)$|^\/(live|ready|metrics|static|vendor|player|media)/.test(r));
  const visitor = newAgent(ctx.app);
  for (const route of routes) {
    if (!route.startsWith("/admin")) {
      await collect("visitor", visitor, fill(route, "visitor"));
      await collect("subscriber", subscriber.agent, fill(route, "subscriber"));
      await collect("unpaid", unpaid.agent, fill(route, "unpaid"));
    } else await collect("admin", admin, fill(route, "admin"));
  }
  await collect("subscriber", subscriber.agent, `/title/${series!.slug}`);
  await collect("subscriber", subscriber.agent, `/search?q=the`);
  // Pages behind a form: two-step sign-in setup, its recovery codes and the code step; a receipt.
  const enrolling = await viewer(ctx.app, ctx.deps, { subscribed: false });
  const setup = await enrolling.agent.post("/account/two-factor/setup").type("form").send({ _csrf: enrolling.token, password: GOOD_PASSWORD });
  pages.push({ name: "subscriber", url: "/account/two-factor (setup)", html: setup.text });
  const code = await totpCode(ctx.deps, enrolling.user.id, "pendingSecret");
  const codes = await enrolling.agent.post("/account/two-factor/enable").type("form").send({ _csrf: enrolling.token, code });
  pages.push({ name: "subscriber", url: "/account/two-factor (codes)", html: codes.text });
  await collect("subscriber", enrolling.agent, "/account/two-factor");
  const codeStep = newAgent(ctx.app);
  await signIn(codeStep, enrolling.user.email);
  await collect("visitor", codeStep, "/login/two-factor");
  const paid = await pendingPayment(ctx.deps, subscriber.user.id);
  await approvePayment(ctx.deps, paid.id, { actor: "cli:test" });
  await collect("subscriber", subscriber.agent, `/account/billing/receipts/${paid.id}`);
  expect(pages.map((p) => p.url)).toEqual(
    expect.arrayContaining(["/account/two-factor (setup)", "/account/two-factor (codes)", "/login/two-factor", `/account/billing/receipts/${paid.id}`]),
  );
  dir = mkdtempSync(path.join(os.tmpdir(), "vnu-"));
}, 120_000);

afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await ctx?.close();
});

describe("HTML validity", () => {
  it("renders enough pages to check (every area, three kinds of visitor)", () => {
    expect(pages.length).toBeGreaterThan(30);
    expect(new Set(pages.map((p) => p.name))).toEqual(new Set(["visitor", "subscriber", "unpaid", "admin"]));
  });

  it("finds no Nu Html Checker error on any page", { timeout: 180_000 }, async () => {
    const files = pages.map((p, i) => {
      const file = path.join(dir, `${String(i).padStart(3, "0")}-${p.name}${p.url.replace(/[^a-z0-9]+/gi, "_").slice(0, 80)}.html`);
      writeFileSync(file, p.html);
      return file;
    });
    const { stdout, stderr } = await promisify(execFile)(
      "java",
      ["-Xss1m", "-jar", VNU_JAR, "--errors-only", "--exit-zero-always", "--format", "json", ...files],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const report = JSON.parse(stderr || stdout) as { messages: { type: string; url: string; message: string; lastLine?: number }[] };
    const errors = report.messages.filter((m) => m.type === "error").map((m) => `${path.basename(m.url)}:${m.lastLine ?? "?"} ${m.message}`);
    expect(errors).toEqual([]);
  });
});
