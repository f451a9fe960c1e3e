// Every main page, in English and Vietnamese, for a visitor, a subscriber, an account without a
// plan and an admin: no raw locale key (what the translator returns for a missing string) and no
// ISO date reaches the reader.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localeKeys } from "../../src/lib/i18n.js";
import { notifyUser } from "../../src/services/notifications/index.js";
import { activeSubscriber, insertUser, pendingPayment, signedInAs } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { newAgent, type Agent } from "../support/http.js";
import { seedSeries, seedTitle, type SeededTitle } from "../support/watching.js";

let ctx: TestContext;
let film: SeededTitle;
let series: SeededTitle;
const AREAS = [...new Set(localeKeys("en").map((k) => k.split(".")[0]!))];
const KEY_SHAPED = new RegExp(`\\b(?:${AREAS.map((a) => a.replace(/-/g, "\\-")).join("|")})\\.[a-zA-Z][\\w-]*(?:\\.[\\w-]+)*`, "g");
const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/g;

/** What a reader sees or hears: text outside scripts and styles, and the attributes read aloud. */
function readable(html: string): string {
  const attrs = [...html.matchAll(/\s(?:aria-label|title|placeholder|alt|aria-description)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ");
  return `${text} ${attrs.join(" ")}`;
}

async function walk(agent: Agent, paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const p of paths) {
    const res = await agent.get(p);
    expect(res.status, p).toBeLessThan(500);
    const seen = readable(res.text);
    for (const m of seen.matchAll(KEY_SHAPED)) found.push(`${p}: key ${m[0]}`);
    for (const m of seen.matchAll(ISO_DAY)) found.push(`${p}: ISO date ${m[0]}`);
  }
  return found;
}

beforeAll(async () => {
  ctx = await createTestContext();
  film = await seedTitle(ctx.deps, { title: "Walked Film" });
  series = await seedSeries(ctx.deps, { title: "Walked Series" });
});
afterAll(async () => {
  await ctx?.close();
});

describe.each(["en", "vi"] as const)("pages in %s", (locale) => {
  it("show no raw key and no ISO date to a visitor, a subscriber, an account without a plan or an admin", async () => {
    const visitor = newAgent(ctx.app);
    const found = await walk(visitor.set("Accept-Language", locale), ["/", "/login", "/register", "/forgot-password", "/no-such-page"]);

    const sub = await activeSubscriber(ctx.deps);
    await ctx.deps.models.User.updateOne({ _id: sub.id }, { $set: { locale } });
    const until = new Date(Date.now() + 5 * 86_400_000);
    await notifyUser(ctx.deps, {
      userId: sub.id,
      type: "payment.approved",
      title: "notifications.types.paymentApproved.title",
      body: "notifications.types.paymentApproved.body",
      params: { plan: "standard", until: until.toISOString().slice(0, 10) },
      link: "/browse",
      dedupeKey: `walk-${locale}`,
    });
    const subscriber = await signedInAs(ctx.app, sub.email);
    found.push(
      ...(await walk(subscriber, [
        "/browse",
        `/title/${film.slug}`,
        `/title/${series.slug}`,
        `/watch/${film.slug}`,
        "/genres",
        "/search?q=walked",
        "/my-list",
        "/history",
        "/notifications",
        "/account",
        "/account/billing",
        "/plans",
        "/profiles",
        "/title/no-such-title",
      ])),
    );

    const plain = await insertUser(ctx.deps);
    await ctx.deps.models.User.updateOne({ _id: plain.id }, { $set: { locale } });
    const payment = await pendingPayment(ctx.deps, plain.id);
    const newcomer = await signedInAs(ctx.app, plain.email);
    found.push(...(await walk(newcomer, ["/browse", `/watch/${film.slug}`, `/checkout/${payment.id}`, "/account/billing"])));

    const ops = await insertUser(ctx.deps, { role: "admin" });
    await ctx.deps.models.User.updateOne({ _id: ops.id }, { $set: { locale } });
    const admin = await signedInAs(ctx.app, ops.email);
    found.push(
      ...(await walk(admin, [
        "/admin",
        "/admin/users",
        `/admin/users/${plain.id}`,
        "/admin/payments?status=all",
        "/admin/catalog",
        "/admin/jobs",
        "/admin/audit",
      ])),
    );
    expect(found).toEqual([]);
  });
});
