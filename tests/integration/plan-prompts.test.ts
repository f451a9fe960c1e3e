// An account without a running plan always sees the step that lets it watch: after sign-in, as a
// banner on its pages, on Play, and as the main action of the 403 page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeSubscriber, insertUser, pendingPayment, signedInAs } from "../support/billing.js";
import { createTestContext, type TestContext } from "../support/context.js";
import { newAgent, registerUser, signIn, uniqueEmail } from "../support/http.js";
import { seedTitle, type SeededTitle } from "../support/watching.js";

let ctx: TestContext;
let film: SeededTitle;
beforeAll(async () => {
  ctx = await createTestContext();
  film = await seedTitle(ctx.deps, { title: "Prompted Film", backdropUrl: "https://image.tmdb.org/t/p/w1280/prompted.jpg" });
});
afterAll(async () => {
  await ctx?.close();
});

describe("an account without a plan", () => {
  it("is sent to the plans straight after sign-up and sign-in, unless it asked for a page", async () => {
    const email = uniqueEmail("newcomer");
    await registerUser(newAgent(ctx.app), email);
    const res = await signIn(newAgent(ctx.app), email);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/plans");
    const asked = await signIn(newAgent(ctx.app), email, undefined, { next: "/my-list" });
    expect(asked.headers.location).toBe("/my-list");
  });

  it("with a payment waiting is sent to that payment; a subscriber and an admin go to their home", async () => {
    const waiting = await insertUser(ctx.deps);
    await pendingPayment(ctx.deps, waiting.id);
    expect((await signIn(newAgent(ctx.app), waiting.email)).headers.location).toBe("/checkout");
    const subscriber = await activeSubscriber(ctx.deps);
    expect((await signIn(newAgent(ctx.app), subscriber.email)).headers.location).toBe("/browse");
    const admin = await insertUser(ctx.deps, { role: "admin" });
    expect((await signIn(newAgent(ctx.app), admin.email)).headers.location).toBe("/browse");
  });

  it("sees a banner leading to /plans on /browse and a title page whose main button chooses a plan", async () => {
    const user = await insertUser(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    const browse = await agent.get("/browse");
    expect(browse.status).toBe(200);
    expect(browse.text).toMatch(/data-testid="plan-banner"[\s\S]*?href="\/plans"/);
    // The hero's main button says what it does for an account without a plan.
    const hero = /<div class="browse-hero__actions">[\s\S]*?<\/div>/.exec(browse.text)?.[0] ?? "";
    expect(hero).toContain('href="/plans"');
    expect(hero).toContain("Choose a plan to watch");
    expect(hero).not.toContain('href="/watch/');
    const title = await agent.get(`/title/${film.slug}`);
    expect(title.text).toMatch(/href="\/plans" data-testid="play-needs-plan"/);
    expect(title.text).not.toContain(`href="/watch/${film.slug}"`);
    // The plans page itself has no banner pointing at itself.
    expect((await agent.get("/plans")).text).not.toContain('data-testid="plan-banner"');
  });

  it("gets a 403 page from Play that leads with the message and offers Choose a plan", async () => {
    const user = await insertUser(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    await agent.get("/browse");
    const res = await agent.get(`/watch/${film.slug}`);
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/<h1>You need an active subscription/);
    expect(res.text).toMatch(/href="\/plans" data-testid="error-fix">Choose a plan</);
    expect(res.text).toContain("Error 403");
    // An htmx request gets the message with the same link.
    const fragment = await agent.get(`/watch/${film.slug}`).set("HX-Request", "true").set("HX-Target", "main");
    expect(fragment.status).toBe(403);
    expect(fragment.text).toContain('href="/plans"');
  });

  it("with a payment waiting sees its status and transfer details one click from the banner and the 403 page", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const agent = await signedInAs(ctx.app, user.email);
    await agent.get("/browse");
    const browse = await agent.get("/browse");
    expect(browse.text).toMatch(/data-testid="plan-banner"[\s\S]*?href="\/checkout"/);
    const denied = await agent.get(`/watch/${film.slug}`);
    expect(denied.status).toBe(403);
    expect(denied.text).toMatch(/href="\/checkout" data-testid="error-fix"/);
    const go = await agent.get("/checkout");
    expect(go.headers.location).toBe(`/checkout/${payment.id}`);
    const page = await agent.get(go.headers.location!);
    expect(page.text).toContain(payment.reference);
    expect(page.text).toContain('data-testid="payment-qr"');
  });

  it("a subscriber sees no banner and a Play button", async () => {
    const user = await activeSubscriber(ctx.deps);
    const agent = await signedInAs(ctx.app, user.email);
    await agent.get("/browse");
    expect((await agent.get("/browse")).text).not.toContain('data-testid="plan-banner"');
    expect((await agent.get(`/title/${film.slug}`)).text).toContain(`href="/watch/${film.slug}"`);
  });
});
