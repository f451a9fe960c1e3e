// Test helpers for profiles and watching: titles with unique slugs (the catalog cache in Redis is
// shared by every test file), subscribers signed in with a profile, and progress posts.
import { randomBytes } from "node:crypto";
import type { Express } from "express";
import type { Deps } from "../../src/deps.js";
import { createTitle, type TitleInput } from "../../src/services/catalog/title-admin.js";
import { activeSubscriber, insertUser, signedInAs } from "./billing.js";
import { csrfFrom, type Agent } from "./http.js";

const runId = randomBytes(3).toString("hex");
let n = 0;

export interface SeededTitle {
  id: string;
  slug: string;
  title: string;
}

export async function seedTitle(deps: Deps, over: Partial<TitleInput> = {}): Promise<SeededTitle> {
  n += 1;
  const slug = `${over.slug ?? "film"}-${runId}-${n}`;
  const doc = await createTitle(
    deps,
    {
      kind: "movie",
      title: `Film ${n}`,
      maturity: "PG",
      genres: ["drama"],
      year: 1950,
      runtimeMin: 90,
      popularity: 100 - n,
      media: { hlsUrl: "/media/demo/master.m3u8" },
      trailer: { youtubeKey: null, hlsUrl: "/media/trailer/master.m3u8" },
      ...over,
      slug,
    },
    { publish: true },
  );
  return { id: String(doc._id), slug, title: doc.title };
}

export async function seedSeries(deps: Deps, over: Partial<TitleInput> = {}): Promise<SeededTitle> {
  const ep = (number: number, title: string) => ({ number, title, runtimeMin: 25, hlsUrl: "/media/demo/master.m3u8" });
  return seedTitle(deps, {
    slug: "serial",
    kind: "series",
    maturity: "TV-PG",
    media: null,
    seasons: [
      { number: 1, title: null, year: null, episodes: [ep(1, "Pilot"), ep(2, "Second")] },
      { number: 2, title: null, year: null, episodes: [ep(1, "Return")] },
    ],
    ...over,
  });
}

/** A signed-in user; with `subscribed` an active subscription. The first page visit makes the profile. */
export async function viewer(app: Express, deps: Deps, opts: { subscribed?: boolean } = {}) {
  const user = opts.subscribed === false ? await insertUser(deps) : await activeSubscriber(deps);
  const agent = await signedInAs(app, user.email);
  const page = await agent.get("/profiles");
  const token = csrfFrom(page.text);
  const profile = await deps.models.Profile.findOne({ userId: user.id }).lean();
  return { agent, user, token, profileId: String(profile!._id) };
}

export function postProgress(agent: Agent, token: string, body: { slug: string; episode?: string; position: number; duration: number; ts: number }) {
  return agent
    .post("/progress")
    .type("form")
    .send({
      _csrf: token,
      slug: body.slug,
      episode: body.episode ?? "main",
      position: String(body.position),
      duration: String(body.duration),
      ts: String(body.ts),
    });
}

/** Writes every buffered progress save to the database now (saves reach MongoDB in batches). */
export async function flushAllProgress(deps: Deps): Promise<void> {
  const { flushAllBuffered, flushesSettled } = await import("../../src/services/watching/progress-buffer.js");
  await flushAllBuffered(deps);
  await flushesSettled(deps);
}
