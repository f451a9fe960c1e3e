import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { bumpNamespace, cacheAside, cacheInNamespace, createCacheState, GENERATION_REUSE_MS, namespaceGeneration } from "../../src/lib/cache.js";
import { createRedis, waitForRedis } from "../../src/lib/redis.js";
import { catalogNamespace, getTitleDetail } from "../../src/services/catalog/titles.js";
import { updateTitle } from "../../src/services/catalog/title-admin.js";
import { freePort } from "../../tools/local-services.js";
import { TEST_METRICS_TOKEN, createTestContext, type TestContext } from "../support/context.js";
import { signedInAgent, type Agent } from "../support/http.js";
import { makeTitle } from "../support/catalog-fixtures.js";

let ctx: TestContext;
let agent: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  ({ agent } = await signedInAgent(ctx.app));
});
afterAll(async () => {
  await ctx?.close();
});

async function count(cache: string, result: string): Promise<number> {
  const metric = await ctx.deps.metrics.cacheRequests.get();
  return metric.values.find((v) => v.labels.cache === cache && v.labels.result === result)?.value ?? 0;
}

describe("catalog cache", () => {
  it("serves the second read of a title from Redis", async () => {
    const title = await makeTitle(ctx.deps, { title: "Cached Once" });
    const [hits, misses] = [await count("catalog-title", "hit"), await count("catalog-title", "miss")];
    await getTitleDetail(ctx.deps, {}, title.slug);
    await getTitleDetail(ctx.deps, {}, title.slug);
    expect(await count("catalog-title", "miss")).toBe(misses + 1);
    expect(await count("catalog-title", "hit")).toBe(hits + 1);
  });

  it("loads a key once when many requests miss it together, and again after the namespace moves on", async () => {
    const namespace = `test-single-flight:${Date.now()}`;
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 50));
      return { n: loads };
    };
    const entry = { cache: "test", key: "popular", ttlSeconds: 60 };
    const values = await Promise.all(Array.from({ length: 10 }, () => cacheInNamespace(ctx.deps, namespace, entry, load)));
    expect(loads).toBe(1);
    expect(values.every((v) => v.n === 1)).toBe(true);
    await bumpNamespace(ctx.deps, namespace);
    expect((await cacheInNamespace(ctx.deps, namespace, entry, load)).n).toBe(2);
  });

  it("shows an edit at once: changing a title invalidates the cached details and rows", async () => {
    const title = await makeTitle(ctx.deps, { title: "Before Edit", genres: ["family"] });
    expect((await agent.get(`/title/${title.slug}`)).text).toContain("Before Edit");
    expect((await agent.get("/browse")).text).toContain("Before Edit");
    await updateTitle(ctx.deps, title.id, { title: "After Edit" });
    expect((await agent.get(`/title/${title.slug}`)).text).toContain("After Edit");
    const browse = await agent.get("/browse");
    expect(browse.text).toContain("After Edit");
    expect(browse.text).not.toContain("Before Edit");
  });

  it("still renders pages when cache reads fail", async () => {
    const title = await makeTitle(ctx.deps, { title: "Survives Redis Trouble" });
    // A wrong-typed generation key makes every catalog cache read fail with a real Redis error.
    const genKey = `cache:${catalogNamespace(ctx.deps)}:gen`;
    await ctx.deps.redis.del(genKey);
    await ctx.deps.redis.hset(genKey, "broken", "1");
    try {
      const errors = await count("catalog", "error");
      const res = await agent.get(`/title/${title.slug}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain("Survives Redis Trouble");
      expect((await agent.get("/browse")).status).toBe(200);
      expect(await count("catalog", "error")).toBeGreaterThan(errors);
    } finally {
      await ctx.deps.redis.del(genKey);
    }
  });

  it("reads a namespace's generation once per interval; a bump elsewhere shows after it, a bump here at once", async () => {
    const namespace = `test-gen:${randomBytes(6).toString("hex")}`;
    const here = {
      redis: createRedis(ctx.config.redisUrl, 2000),
      logger: ctx.deps.logger,
      cache: createCacheState({ freezeShared: true, requests: ctx.deps.metrics.cacheRequests }),
    };
    const elsewhere = {
      redis: createRedis(ctx.config.redisUrl, 2000),
      logger: ctx.deps.logger,
      cache: createCacheState({ freezeShared: true, requests: ctx.deps.metrics.cacheRequests }),
    };
    try {
      await Promise.all([waitForRedis(here.redis), waitForRedis(elsewhere.redis)]);
      let reads = 0;
      const get = here.redis.get.bind(here.redis);
      here.redis.get = (...args: Parameters<typeof get>) => {
        reads += 1;
        return get(...args);
      };

      const first = await Promise.all(Array.from({ length: 20 }, () => namespaceGeneration(here, namespace)));
      expect(new Set(first)).toEqual(new Set(["0"]));
      expect(reads).toBe(1);

      await bumpNamespace(elsewhere, namespace);
      expect(await namespaceGeneration(elsewhere, namespace)).toBe("1");
      await sleep(GENERATION_REUSE_MS + 20);
      expect(await namespaceGeneration(here, namespace)).toBe("1");
      expect(reads).toBe(2);

      await bumpNamespace(here, namespace);
      expect(await namespaceGeneration(here, namespace)).toBe("2");
    } finally {
      here.redis.disconnect();
      elsewhere.redis.disconnect();
    }
  });

  it("falls back to the source when Redis is unreachable", async () => {
    const dead = createRedis(`redis://127.0.0.1:${await freePort()}`, 200);
    try {
      const value = await cacheAside(
        { redis: dead, logger: ctx.deps.logger, cache: ctx.deps.cache },
        { cache: "test", key: "k", ttlSeconds: 5 },
        async () => 42,
      );
      expect(value).toBe(42);
    } finally {
      dead.disconnect();
    }
  });

  it("exports hits and misses on /metrics", async () => {
    const res = await agent.get("/metrics").set("Authorization", `Bearer ${TEST_METRICS_TOKEN}`);
    expect(res.text).toMatch(/cache_requests_total\{cache="catalog-title",result="hit"\} \d+/);
    expect(res.text).toMatch(/cache_requests_total\{cache="catalog-title",result="miss"\} \d+/);
  });
});
