import autocannon from "autocannon";
import { startBenchEnvironment } from "./environment.js";
import { catalogTitles, createSessions, createSubscribers, growCatalog, REALISTIC } from "./dataset.js";
const env = await startBenchEnvironment();
const mb = (b: number) => (b / 1048576).toFixed(0);
const show = async (l: string) => console.log(l, (await env.webRss()).map((m) => `rss ${mb(m.rss)} heap ${mb(m.heapUsed)} ext ${mb(m.external)}`).join(" | "));
await show("start");
await growCatalog(env.deps, Number(process.env.SIZE ?? 2000));
const titles = await catalogTitles(env.deps);
const profiles = await createSubscribers(env.deps, titles, { accounts: 200, history: REALISTIC, label: "m" });
const cookies = await createSessions(env.deps, profiles);
console.log("sessions", cookies.length);
let t0 = Date.now();
for (let ok = false; !ok;) ok = await fetch(env.base + "/browse", { headers: { cookie: cookies[0]! } }).then(async (r) => (await r.text(), r.ok), () => false);
console.log("first browse", Date.now() - t0, "ms");
for (const path of ["/browse", "/search?q=night", "/genre/drama", "/title/" + titles[5]!.slug, "/browse"]) {
  let next = 0;
  const r = await autocannon({ url: env.base + path, connections: 50, duration: 8, requests: [{ method: "GET", path, setupRequest: (req) => ({ ...req, headers: { ...req.headers, "accept-encoding": "br", cookie: cookies[next++ % cookies.length]! } }) }] });
  console.log(path, "rps", r.requests.average, "p50", r.latency.p50, "p99", r.latency.p99, "bad", r.non2xx + r.errors + r.timeouts);
  await show("after " + path);
}
await env.close();
process.exit(0);
