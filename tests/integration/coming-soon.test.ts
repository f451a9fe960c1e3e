// Coming soon: an announced title stays out of browse, search and /watch until its date, shows on
// New & Popular with "Remind me", and on release day every reminded profile is told exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { closeDeps, createDeps, type Deps } from "../../src/deps.js";
import { findJob } from "../../src/jobs/schedule.js";
import { createLogger } from "../../src/lib/logger.js";
import { announceTitle, createTitle } from "../../src/services/catalog/index.js";
import { runJob } from "../../src/services/ops/jobs.js";
import { releaseTitlesAndRemind } from "../../src/services/watching/index.js";
import { adminAgent, at } from "../support/billing.js";
import { runCliInProcess } from "../support/cli.js";
import { createTestContext, testEnv, type TestContext } from "../support/context.js";
import { csrfFrom, type Agent } from "../support/http.js";
import { deliverMail, mailsTo, startMailCatcher, TEST_PUBLIC_URL, type MailCatcher } from "../support/mail.js";
import { seedTitle, viewer } from "../support/watching.js";

const DAY = 86_400_000;
let ctx: TestContext;
let mail: MailCatcher;
let worker: Deps;
beforeAll(async () => {
  mail = await startMailCatcher();
  ctx = await createTestContext({ SMTP_URL: mail.smtpUrl, PUBLIC_URL: TEST_PUBLIC_URL });
  // A second worker process: its own MongoDB and Redis connections on the same servers.
  worker = await createDeps(loadConfig(testEnv({ MONGODB_URI: ctx.config.mongoUri, SMTP_URL: mail.smtpUrl, PUBLIC_URL: TEST_PUBLIC_URL })), {
    name: "worker-2",
    logger: createLogger("silent"),
  });
});
afterAll(async () => {
  if (worker) await closeDeps(worker);
  await ctx?.close();
  await mail?.close();
});

let n = 0;
/** A title announced `inDays` ahead (created as a draft, then announced, like the admin page does). */
async function announced(name: string, inDays = 5) {
  n += 1;
  const doc = await createTitle(ctx.deps, {
    kind: "movie",
    slug: `soon-${Date.now().toString(36)}-${n}`,
    title: name,
    maturity: "PG",
    genres: ["drama"],
    year: 2026,
  });
  await announceTitle(ctx.deps, String(doc._id), new Date(Date.now() + inDays * DAY));
  return { id: String(doc._id), slug: doc.slug, title: name };
}

function remind(agent: Agent, token: string, titleId: string, on: string, hx = true) {
  const req = agent.post(`/reminders/${titleId}`).type("form");
  if (hx) req.set("HX-Request", "true").set("HX-Target", `remind-${titleId}`);
  return req.send({ _csrf: token, on, next: "/new" });
}

describe("an announced title", () => {
  it("is not in browse, search or genre pages, and /watch says when it comes out (403)", async () => {
    await seedTitle(ctx.deps, { title: "Already Out Drama" });
    const soon = await announced("Zephyrine Soon");
    const { agent } = await viewer(ctx.app, ctx.deps);
    const browse = (await agent.get("/browse")).text;
    expect(browse).toContain("Already Out Drama");
    expect(browse).not.toContain("Zephyrine Soon");
    expect((await agent.get("/search?q=zephyrine")).text).not.toContain(`/title/${soon.slug}"`);
    expect((await agent.get("/genre/drama")).text).not.toContain("Zephyrine Soon");
    expect((await agent.get("/films")).text).not.toContain("Zephyrine Soon");

    const watch = await agent.get(`/watch/${soon.slug}`);
    expect(watch.status).toBe(403);
    expect(watch.text).toContain("Zephyrine Soon is not out yet");
    expect(watch.text).toMatch(/It comes out on \d{1,2} \w{3} 20\d\d/);
    expect(watch.text).toContain('data-testid="remind-button"');
    const page = await agent.get(`/title/${soon.slug}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Zephyrine Soon");
    // Art is served for it, like for published titles.
    expect((await agent.get(`/art/${soon.slug}/poster.svg`)).status).toBe(200);
    // A title that does not exist is still a plain 404.
    expect((await agent.get("/watch/no-such-title-anywhere")).status).toBe(404);
  });

  it("is listed under Coming soon on New & Popular, in Vietnamese too", async () => {
    const soon = await announced("Coming Row Title", 3);
    const { agent } = await viewer(ctx.app, ctx.deps);
    const res = await agent.get("/new");
    expect(res.status).toBe(200);
    const section = /<section class="coming-soon"[\s\S]*?<\/section>/.exec(res.text)?.[0] ?? "";
    expect(section).toContain("Coming Row Title");
    expect(section).toContain(`id="remind-${soon.id}"`);
    expect(section).toMatch(/Coming \d{1,2} \w{3} 20\d\d/);
    await agent
      .post("/account/language")
      .type("form")
      .send({ _csrf: csrfFrom(res.text), locale: "vi", next: "/new" });
    const vi = await agent.get("/new");
    expect(vi.text).toContain("Sắp ra mắt");
    expect(vi.text).toContain("Nhắc tôi");
  });
});

describe("Remind me", () => {
  it("turns on and off per profile, idempotently, with the CSRF token, in place for htmx", async () => {
    const soon = await announced("Remindable");
    const { agent, token, profileId } = await viewer(ctx.app, ctx.deps);
    const pressed = async () => /id="remind-[a-f0-9]+"[\s\S]*?aria-pressed="(true|false)"/.exec((await agent.get(`/title/${soon.slug}`)).text)?.[1];
    expect(await pressed()).toBe("false");
    const on = await remind(agent, token, soon.id, "1");
    expect(on.status).toBe(200);
    expect(on.text).toContain(`id="remind-${soon.id}"`);
    expect(on.text).toContain('aria-pressed="true"');
    expect((await remind(agent, token, soon.id, "1")).status).toBe(200);
    expect(await ctx.deps.models.Reminder.countDocuments({ profileId, titleId: soon.id })).toBe(1);
    // The title page shows it at once (it is never sent from the kept pages).
    expect(await pressed()).toBe("true");
    expect((await agent.get("/new")).text).toMatch(new RegExp(`id="remind-${soon.id}"[\\s\\S]*?aria-pressed="true"`));

    const off = await remind(agent, token, soon.id, "0");
    expect(off.text).toContain('aria-pressed="false"');
    expect(await ctx.deps.models.Reminder.countDocuments({ profileId, titleId: soon.id })).toBe(0);

    // Without JavaScript: post and back to the page.
    const plain = await remind(agent, token, soon.id, "1", false);
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe("/new");

    expect((await agent.post(`/reminders/${soon.id}`).type("form").send({ on: "1" })).status).toBe(403);
    expect((await remind(agent, token, soon.id, "2")).status).toBe(422);
    expect((await remind(agent, token, "not-an-id", "1")).status).toBe(404);
    // A title that is already out takes no reminder.
    const out = await seedTitle(ctx.deps, { title: "Out Already" });
    expect((await remind(agent, token, out.id, "1")).status).toBe(404);
  });
});

describe("release day", () => {
  it("releases the title and notifies each reminded profile once, however often and wherever the job runs", async () => {
    const soon = await announced("Release Day Film", 2);
    const a = await viewer(ctx.app, ctx.deps);
    const b = await viewer(ctx.app, ctx.deps);
    // A second profile of the first account asks too: one notification each, one mail for the account.
    const kid = await ctx.deps.models.Profile.create({ userId: a.user.id, name: "Kid", slot: 1 });
    for (const v of [a, b]) expect((await remind(v.agent, v.token, soon.id, "1")).status).toBe(200);
    await ctx.deps.models.Reminder.create({ profileId: kid._id, userId: a.user.id, titleId: soon.id });
    const expected = 3;

    // Before the day: nothing happens.
    expect(await releaseTitlesAndRemind(ctx.deps)).toEqual({ released: 0, notified: 0 });

    // On the day: the job, twice on two workers at once and once more afterwards.
    const later = new Date(Date.now() + 3 * DAY);
    const job = findJob("release-titles")!;
    const runs = await Promise.all([ctx.deps, worker].map((d) => releaseTitlesAndRemind(at(d, later))));
    // (Other titles of this file may come out by then too: count this one's release.)
    expect(runs.reduce((s, r) => s + r.released, 0)).toBeGreaterThanOrEqual(1);
    expect(await ctx.deps.models.AuditLog.countDocuments({ action: "title.release", target: `title:${soon.id}` })).toBe(1);
    expect(runs.reduce((s, r) => s + r.notified, 0)).toBe(expected);
    const again = await runJob(at(ctx.deps, later), job, { fireTime: later, trigger: "manual" });
    expect(again.status).toBe("succeeded");

    // The events are due from the job's "now"; delivering twice sends nothing twice.
    await deliverMail(at(ctx.deps, later));
    await deliverMail(at(ctx.deps, later));
    const title = await ctx.deps.models.Title.findById(soon.id).lean();
    expect(title!.status).toBe("published");
    expect(await ctx.deps.models.Notification.countDocuments({ type: "title.released", userId: a.user.id })).toBe(2);
    expect(await ctx.deps.models.Notification.countDocuments({ type: "title.released", userId: b.user.id })).toBe(1);
    expect(mailsTo(mail, a.user.email).filter((m) => m.subject.includes("Release Day Film"))).toHaveLength(1);
    expect(mailsTo(mail, b.user.email).filter((m) => m.subject.includes("Release Day Film"))).toHaveLength(1);

    // The bell shows it, with a link to the title that now plays.
    const page = await a.agent.get("/notifications");
    expect(page.text).toContain("Now on Nextflix: Release Day Film");
    expect(page.text).toContain(`/title/${soon.slug}`);
    expect((await a.agent.get(`/title/${soon.slug}`)).status).toBe(200);
    expect((await a.agent.get("/browse")).text).toContain("Release Day Film");
  });
});

describe("announcing", () => {
  it("from the admin page: a date ahead announces, bad or past dates are refused with a message", async () => {
    const { agent } = await adminAgent(ctx.app, ctx.deps);
    const form = await agent.get("/admin/catalog/new");
    const token = csrfFrom(form.text);
    const base = { _csrf: token, kind: "movie", title: "Admin Announced", maturity: "PG", publish: "on" };
    const bad = await agent
      .post("/admin/catalog")
      .type("form")
      .send({ ...base, releaseAt: "2026-02-31" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Enter a date (day, month and year).");
    const past = await agent
      .post("/admin/catalog")
      .type("form")
      .send({ ...base, releaseAt: "2001-01-01" });
    expect(past.status).toBe(422);
    expect(past.text).toContain("The release date must be in the future.");
    const day = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    const ok = await agent
      .post("/admin/catalog")
      .type("form")
      .send({ ...base, slug: `admin-announced-${Date.now()}`, releaseAt: day });
    expect(ok.status).toBe(303);
    const doc = await ctx.deps.models.Title.findOne({ title: "Admin Announced" }).lean();
    expect(doc!.status).toBe("announced");
    const edit = await agent.get(`/admin/catalog/${String(doc!._id)}`);
    expect(edit.text).toContain("Coming soon");
    expect(edit.text).toContain(`value="${day}"`);

    // Announcing a draft from its page; a published title cannot be announced.
    const draft = await createTitle(ctx.deps, { kind: "movie", slug: `draft-${Date.now()}`, title: "Draft To Announce", maturity: "PG" });
    const res = await agent
      .post(`/admin/catalog/${String(draft._id)}/announce`)
      .type("form")
      .send({ _csrf: token, releaseAt: day });
    expect(res.status).toBe(303);
    expect((await ctx.deps.models.Title.findById(draft._id).lean())!.status).toBe("announced");
    expect(
      (
        await agent
          .post(`/admin/catalog/${String(draft._id)}/announce`)
          .type("form")
          .send({ _csrf: token, releaseAt: "tomorrow" })
      ).status,
    ).toBe(422);
    const out = await seedTitle(ctx.deps, { title: "Published Not Announceable" });
    const refused = await agent.post(`/admin/catalog/${out.id}/announce`).type("form").send({ _csrf: token, releaseAt: day });
    expect(refused.status).toBe(303);
    expect((await ctx.deps.models.Title.findById(out.id).lean())!.status).toBe("published");
  });

  it("from the CLI, and `jobs run release-titles` releases it", async () => {
    const draft = await createTitle(ctx.deps, { kind: "movie", slug: `cli-soon-${Date.now()}`, title: "CLI Soon", maturity: "PG" });
    const badDate = await runCliInProcess(ctx.deps, ["catalog", "announce", draft.slug, "--date", "31/12/2030"]);
    expect(badDate.code).not.toBe(0);
    expect(badDate.stderr).toContain("--date must be a day");
    const past = await runCliInProcess(ctx.deps, ["catalog", "announce", draft.slug, "--date", "2001-01-01"]);
    expect(past.code).not.toBe(0);
    expect(past.stderr).toContain("The release date must be in the future.");
    const day = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
    const ok = await runCliInProcess(ctx.deps, ["catalog", "announce", draft.slug, "--date", day, "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ slug: draft.slug, status: "announced", changed: true });

    // Release day comes: the date moves into the past and the job runs from the CLI.
    await ctx.deps.models.Title.updateOne({ _id: draft._id }, { $set: { releaseAt: new Date(Date.now() - 60_000) } });
    const run = await runCliInProcess(ctx.deps, ["jobs", "run", "release-titles", "--json"]);
    expect(run.code).toBe(0);
    expect((await ctx.deps.models.Title.findById(draft._id).lean())!.status).toBe("published");
  });
});
