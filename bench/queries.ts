// Database queries per request: the app run in this process on a loopback port, with a mongoose
// debug hook counting every collection call. A page whose count grows with a profile's history or
// the catalog's size does per-request work that the caches should have taken away.
import type { AddressInfo } from "node:net";
import mongoose from "mongoose";
import { createApp } from "../src/app.js";
import type { Deps } from "../src/deps.js";

export interface QueryCounter {
  base: string;
  /** Requests `path` (after one warming request) and returns the queries, by collection, of the second. */
  count(
    path: string,
    cookie: string,
    headers?: Record<string, string>,
  ): Promise<{ total: number; byCollection: Record<string, number>; ms: number; status: number }>;
  close(): Promise<void>;
}

export async function startQueryCounter(deps: Deps): Promise<QueryCounter> {
  let calls: string[] = [];
  mongoose.set("debug", (collection: string, method: string) => void calls.push(`${collection}.${method}`));
  const server = createApp(deps).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string, cookie: string, headers?: Record<string, string>) => fetch(base + path, { headers: { cookie, ...headers }, redirect: "manual" });
  return {
    base,
    async count(path, cookie, headers) {
      // The warming request may meet the request deadline while caches fill: up to 3 tries.
      for (let i = 0; i < 3; i++)
        if (
          await get(path, cookie, headers).then(
            async (r) => (await r.text(), r.ok),
            () => false,
          )
        )
          break;
      calls = [];
      const started = performance.now();
      const res = await get(path, cookie, headers);
      await res.text();
      const ms = performance.now() - started;
      const byCollection: Record<string, number> = {};
      for (const c of calls) byCollection[c] = (byCollection[c] ?? 0) + 1;
      return { total: calls.length, byCollection, ms, status: res.status };
    },
    close: async () => {
      mongoose.set("debug", false);
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
