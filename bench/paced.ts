// An open-loop load generator: requests start on a fixed schedule (`rate` per second) whether or
// not earlier ones have answered, over a pool of keep-alive connections, and each latency counts
// from the request's scheduled start. This is what "p99 at 1,000 saves/s" means; autocannon's
// rate option instead sends each connection's quota in a burst at the top of every second.
// undici's pool keeps the generator's own CPU use low (it shares the two cores with the server).
import { Pool } from "undici";

export interface PacedRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  sent: number;
  completed: number;
  failed: number;
  /** Completed requests per second over the run. */
  achievedRate: number;
  p50: number;
  p99: number;
}

export async function pacedLoad(opts: {
  base: string;
  rate: number;
  seconds: number;
  /** Sent at the same rate first and left out of the figures (connections, JIT, caches). */
  warmupSeconds?: number;
  connections: number;
  next: () => PacedRequest & { done?: (status: number) => void };
}): Promise<PacedResult> {
  const pool = new Pool(opts.base, { connections: opts.connections, pipelining: 1 });
  const latencies: number[] = [];
  const worst = new Map<number, number>();
  let sent = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const warmupMs = (opts.warmupSeconds ?? 0) * 1000;
  const measuredFrom = started + warmupMs;
  const total = Math.round(opts.rate * (opts.seconds + (opts.warmupSeconds ?? 0)));

  const fire = (scheduledAt: number) => {
    const req = opts.next();
    sent += 1;
    const p = pool
      .request({ method: req.method, path: req.path, headers: req.headers, body: req.body })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode >= 400) failed += 1;
        req.done?.(res.statusCode);
        if (scheduledAt < measuredFrom) return;
        const latency = performance.now() - scheduledAt;
        latencies.push(latency);
        if (process.env.BENCH_DEBUG) {
          const slot = Math.floor((scheduledAt - measuredFrom) / 250);
          worst.set(slot, Math.max(worst.get(slot) ?? 0, latency));
        }
      })
      .catch(() => {
        failed += 1;
      });
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  };

  // A timer every few milliseconds starts every request whose time has come.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * opts.rate));
      while (sent < due) fire(started + (sent / opts.rate) * 1000);
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 2);
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - measuredFrom) / 1000;
  await pool.close();
  if (process.env.BENCH_DEBUG) console.log("worst latency per 250 ms:", [...worst].map(([s, ms]) => `${s}:${Math.round(ms)}`).join(" "));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { sent, completed: latencies.length, failed, achievedRate: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}
