// Portability smoke: the MongoDB features our code relies on, checked on whichever server runs the
// tests (FerretDB here, MongoDB 7 in production), so a server upgrade that changes them is caught.
import { ObjectId } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectServer } from "../../src/lib/db.js";
import { createTestContext, type TestContext } from "../support/context.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const collection = (name: string) => ctx.deps.conn.db!.collection(name);

describe("server portability", () => {
  it("identifies the server as MongoDB or FerretDB", async () => {
    const server = await detectServer(ctx.deps.conn);
    expect(["mongodb", "ferretdb"]).toContain(server.kind);
    expect(server.version).toMatch(/^v?\d+\.\d+/);
  });

  it("upserts with $setOnInsert once and $inc every time", async () => {
    const c = collection("smoke_upsert");
    for (let i = 0; i < 3; i++) {
      await c.updateOne({ key: "a" }, { $setOnInsert: { createdBy: `run-${i}` }, $inc: { count: 1 } }, { upsert: true });
    }
    const doc = await c.findOne({ key: "a" });
    expect(doc).toMatchObject({ createdBy: "run-0", count: 3 });
  });

  it("reports a unique index violation with code 11000", async () => {
    const c = collection("smoke_unique");
    await c.createIndex({ profileId: 1, titleId: 1 }, { unique: true });
    await c.insertOne({ profileId: "p", titleId: "t" });
    await expect(c.insertOne({ profileId: "p", titleId: "t" })).rejects.toMatchObject({ code: 11000 });
    expect(await c.countDocuments()).toBe(1);
  });

  it("sorts on several keys", async () => {
    const c = collection("smoke_sort");
    await c.insertMany([
      { g: "b", n: 1 },
      { g: "a", n: 2 },
      { g: "a", n: 1 },
      { g: "b", n: 2 },
    ]);
    const rows = await c
      .find({}, { projection: { _id: 0 } })
      .sort({ g: 1, n: -1 })
      .toArray();
    expect(rows).toEqual([
      { g: "a", n: 2 },
      { g: "a", n: 1 },
      { g: "b", n: 2 },
      { g: "b", n: 1 },
    ]);
  });

  it("finds documents by prefix keys in a multikey array with $in", async () => {
    const c = collection("smoke_prefix");
    await c.createIndex({ searchKeys: 1 });
    await c.insertMany([
      { t: "Metropolis", searchKeys: ["m", "me", "met", "metr"] },
      { t: "Nosferatu", searchKeys: ["n", "no", "nos"] },
    ]);
    const found = await c.find({ searchKeys: { $in: ["met"] } }).toArray();
    expect(found.map((d) => d.t)).toEqual(["Metropolis"]);
  });

  // Progress rows are written by _id with a timestamp condition beside it (progress-buffer.ts).
  // On FerretDB this holds with tools/ferretdb/patches: the _id condition reaches SQLite's _id
  // index even beside other conditions, and the rest of the filter still applies.
  it("matches an _id beside other conditions only when all of them hold, through the _id index", async () => {
    const c = collection("smoke_by_key");
    const [a, b] = [new ObjectId(), new ObjectId()];
    await c.insertMany([
      { _id: a, owner: "p", ts: 5 },
      { _id: b, owner: "q", ts: 5 },
      { _id: "s1" as never, owner: "p", ts: 5 },
    ]);
    expect(await c.findOne({ _id: a, owner: "q" })).toBeNull();
    expect(await c.findOne({ _id: a, owner: "p" })).toMatchObject({ ts: 5 });
    expect(await c.findOne({ _id: "s1" as never, owner: "p" })).toMatchObject({ ts: 5 });

    expect((await c.updateOne({ _id: a, ts: { $lt: 5 } }, { $set: { ts: 1 } })).modifiedCount).toBe(0);
    expect((await c.updateOne({ _id: a, ts: { $lt: 6 } }, { $set: { ts: 6 } })).modifiedCount).toBe(1);
    expect((await c.updateOne({ _id: "s1" as never, owner: "q" }, { $set: { ts: 0 } })).matchedCount).toBe(0);
    // An upsert whose condition fails on an existing _id must not add a second document.
    await expect(c.updateOne({ _id: a, ts: { $lt: 6 } }, { $set: { ts: 2 } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });
    expect((await c.deleteOne({ _id: b, owner: "p" })).deletedCount).toBe(0);
    expect((await c.deleteOne({ _id: b, owner: "q" })).deletedCount).toBe(1);

    const rows = await c.find({}, { projection: { owner: 0 } }).toArray();
    expect(rows.map((r) => [String(r._id), r.ts])).toEqual([
      [String(a), 6],
      ["s1", 5],
    ]);
    // MongoDB: IDHACK, or a scan of the "_id_" index; FerretDB: SQLite's "<table>__id_" index.
    const plan = JSON.stringify(await c.find({ _id: a, owner: "p" }).explain());
    expect(plan).toMatch(/IDHACK|EXPRESS_IXSCAN|"indexName":"_id_"|USING INDEX \S+__id_/);
  });

  it("answers an equality on an indexed field from its index, still matching arrays and every value", async () => {
    const c = collection("smoke_by_owner");
    await c.createIndex({ owner: 1, at: -1 });
    const [p, q] = [new ObjectId(), new ObjectId()];
    await c.insertMany([
      { owner: p, at: 1, name: "plain" },
      { owner: q, at: 2, name: "other" },
      { owner: [q, p], at: 3, name: "array" },
      { owner: 'ü<&>"x', at: 4, name: "escaped" },
      { owner: "slug-1", at: 5, name: "slug" },
      { owner: { id: p }, at: 6, name: "object" },
    ]);
    const names = async (filter: object) => (await c.find(filter).sort({ at: 1 }).toArray()).map((d) => d.name as string);
    expect(await names({ owner: p })).toEqual(["plain", "array"]);
    expect(await names({ owner: q, at: { $gt: 1 } })).toEqual(["other", "array"]);
    expect(await names({ owner: 'ü<&>"x' })).toEqual(["escaped"]);
    expect(await names({ owner: "slug-1" })).toEqual(["slug"]);
    expect(await names({ owner: String(p) })).toEqual([]);
    expect(await c.countDocuments({ owner: p })).toBe(2);
    expect(await names({ owner: { $in: [q, "slug-1"] } })).toEqual(["other", "array", "slug"]);
    const ids = (await c.find({ name: { $in: ["plain", "slug"] } }).toArray()).map((d) => d._id);
    expect(await names({ _id: { $in: [...ids, new ObjectId()] } })).toEqual(["plain", "slug"]);
    expect(await names({ _id: { $in: ids }, name: "slug" })).toEqual(["slug"]);
    // Array fields: an element equal to the value, any value of $in, every value of $all.
    const tags = collection("smoke_by_tag");
    await tags.createIndex({ tags: 1 });
    await tags.insertMany([
      { n: 1, tags: ["drama", "crime"] },
      { n: 2, tags: ["comedy"] },
      { n: 3, tags: "drama" },
      { n: 5, tags: ["crime", "drama", "war"] },
    ]);
    const ns = async (filter: object) => (await tags.find(filter).sort({ n: 1 }).toArray()).map((d) => d.n as number);
    expect(await ns({ tags: "drama" })).toEqual([1, 3, 5]);
    expect(await ns({ tags: { $in: ["comedy", "war"] } })).toEqual([2, 5]);
    expect(await ns({ tags: { $all: ["drama", "crime"] } })).toEqual([1, 5]);
    expect(await ns({ tags: { $all: ["drama"] } })).toEqual([1, 3, 5]);
    expect(await ns({ tags: { $all: ["drama", "nope"] } })).toEqual([]);
    expect((await c.deleteMany({ owner: q, name: "other" })).deletedCount).toBe(1);
    expect((await c.updateMany({ owner: p }, { $set: { seen: true } })).modifiedCount).toBe(2);
    // MongoDB: an IXSCAN of owner_1_at_-1; FerretDB: SQLite's index on the same field.
    for (const filter of [{ owner: p }, { owner: { $in: [p, q] } }]) {
      const plan = JSON.stringify(await c.find(filter).explain());
      expect(plan).toMatch(/"indexName":"owner_1_at_-1"|USING INDEX \S+_owner_1_at_-1/);
    }
    const byIds = JSON.stringify(await c.find({ _id: { $in: ids } }).explain());
    expect(byIds).toMatch(/"indexName":"_id_"|USING INDEX \S+__id_/);
  });

  // The next three hold on MongoDB by design; on FerretDB 1.24 only behind the write gate in
  // tools/ferretdb (FerretDB alone reads and writes an updated document in separate steps).
  it("lets exactly one of several concurrent conditional updates win", async () => {
    const c = collection("smoke_conditional");
    await c.insertOne({ ref: "X", status: "pending" });
    const results = await Promise.all([1, 2, 3, 4].map(() => c.updateOne({ ref: "X", status: "pending" }, { $set: { status: "approved" } })));
    expect(results.map((r) => r.modifiedCount).reduce((a, b) => a + b, 0)).toBe(1);
    const claimed = await Promise.all([1, 2, 3, 4].map(() => c.findOneAndUpdate({ ref: "X", status: "approved" }, { $set: { status: "done" } })));
    expect(claimed.filter(Boolean)).toHaveLength(1);
  });

  it("loses no increments when many $inc hit one document at once", async () => {
    const c = collection("smoke_inc");
    await c.insertOne({ _id: "k" as never, n: 0 });
    await Promise.all(Array.from({ length: 40 }, () => c.updateOne({ _id: "k" as never }, { $inc: { n: 1 } })));
    expect((await c.findOne({ _id: "k" as never }))?.n).toBe(40);
  });

  it("concurrent upserts of one key create one document and count every call", async () => {
    const c = collection("smoke_upsert_race");
    await Promise.all(Array.from({ length: 20 }, () => c.updateOne({ day: "2026-01-01" }, { $inc: { plays: 1 } }, { upsert: true })));
    const docs = await c.find({ day: "2026-01-01" }).toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]!.plays).toBe(20);
  });
});
