// An open-loop load generator: requests start on a fixed schedule (`rate` per second) whether or
// not earlier ones have answered, over a set of keep-alive connections, and each latency counts
// from the request's scheduled start (a request that waits for a free connection is late, and
// that counts). This is what "p99 at 1,000 saves/s" means; autocannon's rate option instead sends
// each connection's quota in a burst at the top of every second.
//
// The generator shares the two cores with the server, so it speaks HTTP/1.1 on plain sockets:
// one string per request, and a response is read by its status line and Content-Length. An
// HTTP client library cost four times the CPU here (a third of a core at 1,000 requests/s), which
// the server then lacked. It handles what the app sends: Content-Length bodies or chunked ones.
import net from "node:net";

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

interface Due {
  scheduledAt: number;
  wire: string;
  done?: (status: number) => void;
}

const HEADER_END = "\r\n\r\n";

/** One keep-alive connection: a request at a time, the answer parsed from the bytes as they come. */
class Connection {
  private socket!: net.Socket;
  private received = "";
  private current: Due | null = null;
  private connected = false;
  private stopped = false;
  /** In the pool's list of free connections (so it is never listed twice). */
  listed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly answered: (due: Due, status: number) => void,
    private readonly idle: (c: Connection) => void,
  ) {
    this.open();
  }

  get busy(): boolean {
    return this.current !== null;
  }

  send(due: Due): void {
    if (this.socket.destroyed) {
      // Between a close and the reconnect: the request fails, like a refused connection would;
      // the reconnect offers this connection again.
      return this.answered(due, 0);
    }
    this.current = due;
    this.socket.write(due.wire);
  }

  close(): void {
    this.stopped = true;
    this.socket.destroy();
  }

  private open(): void {
    this.received = "";
    this.connected = false;
    this.socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.socket.setEncoding("latin1");
    this.socket.on("connect", () => (this.connected = true));
    this.socket.on("data", (chunk: string) => this.onData(chunk));
    this.socket.on("error", () => undefined);
    this.socket.on("close", () => this.onClose());
  }

  private onData(chunk: string): void {
    this.received += chunk;
    for (;;) {
      const response = parseResponse(this.received);
      if (response === null || !this.current) return;
      const due = this.current;
      this.received = this.received.slice(response.length);
      this.current = null;
      this.answered(due, response.status);
      // The server is closing this one: reconnect (onClose) before taking another request.
      if (response.closing) return void this.socket.destroy();
      this.idle(this);
    }
  }

  private onClose(): void {
    const due = this.current;
    this.current = null;
    if (due) this.answered(due, 0);
    if (this.stopped) return;
    // Reconnect and take the next request; a server that refused the connection gets a pause.
    const reopen = () => {
      this.open();
      this.idle(this);
    };
    if (this.connected) reopen();
    else setTimeout(reopen, 100);
  }
}

/** The first complete response in `buf` (its byte length, status, and whether the server closes), or null while it is still arriving. */
function parseResponse(buf: string): { length: number; status: number; closing: boolean } | null {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return null;
  const head = buf.slice(0, headerEnd).toLowerCase();
  const bodyStart = headerEnd + HEADER_END.length;
  const length = bodyLength(buf, head, bodyStart);
  if (length === null) return null;
  return { length, status: Number(head.slice(9, 12)), closing: head.includes("\r\nconnection: close") };
}

function bodyLength(buf: string, head: string, bodyStart: number): number | null {
  const declared = /\r\ncontent-length: *(\d+)/.exec(head);
  if (declared) {
    const end = bodyStart + Number(declared[1]);
    return buf.length >= end ? end : null;
  }
  if (!head.includes("\r\ntransfer-encoding: chunked")) return bodyStart; // no body (204, 304)
  // Chunks: a hex size line, that many bytes, CRLF; a zero size ends it, then trailers and CRLF.
  // The socket is read as latin1, so one character is one byte.
  let at = bodyStart;
  for (;;) {
    const lineEnd = buf.indexOf("\r\n", at);
    if (lineEnd < 0) return null;
    const size = parseInt(buf.slice(at, lineEnd), 16);
    if (Number.isNaN(size)) throw new Error(`malformed chunked response: ${JSON.stringify(buf.slice(at, lineEnd))}`);
    if (size === 0) {
      const end = buf.indexOf(HEADER_END, lineEnd);
      return end < 0 ? null : end + HEADER_END.length;
    }
    at = lineEnd + 2 + size + 2;
    if (buf.length < at) return null;
  }
}

function wireRequest(host: string, req: PacedRequest): string {
  const body = req.body ?? "";
  let wire = `${req.method} ${req.path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of Object.entries(req.headers)) wire += `${name}: ${value}\r\n`;
  if (req.method === "POST") wire += `content-length: ${Buffer.byteLength(body)}\r\n`;
  return `${wire}\r\n${body}`;
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
  const url = new URL(opts.base);
  const latencies: number[] = [];
  const worst = new Map<number, number>();
  let sent = 0;
  let finished = 0;
  let failed = 0;
  const started = performance.now();
  const warmupMs = (opts.warmupSeconds ?? 0) * 1000;
  const measuredFrom = started + warmupMs;
  const total = Math.round(opts.rate * (opts.seconds + (opts.warmupSeconds ?? 0)));
  const waiting: Due[] = [];
  const free: Connection[] = [];
  let allAnswered: () => void = () => undefined;

  const answered = (due: Due, status: number) => {
    finished += 1;
    if (status === 0 || status >= 400) failed += 1;
    due.done?.(status);
    if (due.scheduledAt >= measuredFrom) {
      const latency = performance.now() - due.scheduledAt;
      latencies.push(latency);
      if (process.env.BENCH_DEBUG) {
        const slot = Math.floor((due.scheduledAt - measuredFrom) / 250);
        worst.set(slot, Math.max(worst.get(slot) ?? 0, latency));
      }
    }
    if (finished === total) allAnswered();
  };
  const idle = (c: Connection) => {
    if (c.busy || c.listed) return;
    const due = waiting.shift();
    if (due) return c.send(due);
    c.listed = true;
    free.push(c);
  };
  const connections = Array.from({ length: opts.connections }, () => new Connection(url.hostname, Number(url.port), answered, idle));
  for (const c of connections) idle(c);

  const lags: number[] = [];
  const dispatch = (due: Due) => {
    if (process.env.BENCH_DEBUG && due.scheduledAt >= measuredFrom) lags.push(performance.now() - due.scheduledAt);
    // Longest idle first: every connection takes its turn, as 100 viewers' browsers would.
    const c = free.shift();
    if (!c) return void waiting.push(due);
    c.listed = false;
    c.send(due);
  };
  const done = new Promise<void>((resolve) => (allAnswered = resolve));
  // A timer every few milliseconds starts every request whose time has come.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      // Request n is due at n / rate: the first at the start.
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * opts.rate) + 1);
      while (sent < due) {
        const req = opts.next();
        dispatch({ scheduledAt: started + (sent / opts.rate) * 1000, wire: wireRequest(url.host, req), done: req.done });
        sent += 1;
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 2);
  });
  await done;
  const elapsed = (performance.now() - measuredFrom) / 1000;
  for (const c of connections) c.close();
  if (process.env.BENCH_DEBUG) {
    lags.sort((a, b) => a - b);
    console.log(
      `generator lag (scheduled to handed to a connection): p50 ${lags[Math.floor(lags.length / 2)]?.toFixed(1)} ms, p99 ${lags[Math.floor(lags.length * 0.99)]?.toFixed(1)} ms, max ${lags.at(-1)?.toFixed(1)} ms`,
    );
  }
  if (process.env.BENCH_DEBUG) console.log("worst latency per 250 ms:", [...worst].map(([s, ms]) => `${s}:${Math.round(ms)}`).join(" "));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { sent, completed: latencies.length, failed, achievedRate: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}
