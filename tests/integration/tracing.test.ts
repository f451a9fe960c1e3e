// Traces end to end: the web server, the worker and the CLI run as their own processes with the
// OpenTelemetry register module (as scripts/up starts them with tracing on) and export OTLP/JSON
// to a real HTTP receiver on loopback. One admin approval is one trace from the request to the
// notification the worker writes; a cron fire is a trace; with tracing off nothing is exported.
import { spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/local-services.js";
import { insertUser, pendingPayment } from "../support/billing.js";
import { createTestContext, testEnv, type TestContext } from "../support/context.js";
import { csrfFrom } from "../support/http.js";
import { enrolTwoFactor, signInWithTotp } from "../support/two-factor.js";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../support/otlp-receiver.js";
import { eventually, exited, ROOT, spawnTs } from "../support/processes.js";

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

let ctx: TestContext;
let receiver: OtlpReceiver;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await receiver?.close();
  await ctx?.close();
});

/** The environment of a traced process: the test's database, exports as JSON to the receiver, quickly. */
function tracedEnv(extra: Record<string, string> = {}) {
  return testEnv({
    MONGODB_URI: ctx.config.mongoUri,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_BSP_SCHEDULE_DELAY: "100",
    ...extra,
  });
}

async function startWeb(env: Record<string, string>): Promise<{ base: string; child: ChildProcess; logs: () => string }> {
  const port = await freePort();
  const child = spawnTs("src/server.ts", { ...env, PORT: String(port), HOST: "127.0.0.1" }, { tracing: true, stdout: true });
  children.push(child);
  let logs = "";
  child.stdout!.on("data", (d: Buffer) => (logs += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${base}/live`)).ok, 30_000, 200);
  return { base, child, logs: () => logs };
}

async function stop(child: ChildProcess) {
  child.kill("SIGTERM");
  await exited(child);
}

const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
const named = (spans: ReceivedSpan[], name: string | RegExp) => spans.filter((s) => (typeof name === "string" ? s.name === name : name.test(s.name)));
/** Whether `child` is below `ancestor` in its trace. */
function descends(spans: ReceivedSpan[], child: ReceivedSpan, ancestor: ReceivedSpan): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let s: ReceivedSpan | undefined = child; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) {
    if (s.parentSpanId === ancestor.spanId) return true;
  }
  return false;
}

describe("tracing on", () => {
  it("one admin approval is one trace: request, service, database update, outbox write, worker delivery, notification", async () => {
    const web = await startWeb(tracedEnv({ LOG_LEVEL: "debug" }));
    const base = web.base;
    const admin = await insertUser(ctx.deps, { role: "admin", displayName: "Ops Admin" });
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);

    await enrolTwoFactor(ctx.deps, admin.id);
    const agent = request.agent(base);
    expect((await signInWithTotp(agent, ctx.deps, admin)).status).toBe(303);
    const page = await agent.get("/admin/payments");
    const approved = await agent
      .post(`/admin/payments/${payment.id}/approve`)
      .set("HX-Request", "true")
      .set("HX-Target", `payment-${payment.id}`)
      .set("x-csrf-token", csrfFrom(page.text))
      .type("form")
      .send({});
    expect(approved.status).toBe(200);
    // The request id an operator sees is the trace id.
    const traceId = String(approved.headers["x-request-id"]);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    // Its log lines carry it, with the span they were written in.
    await eventually(async () => web.logs().includes(`"trace_id":"${traceId}"`), 5000);
    const line = web
      .logs()
      .split("\n")
      .find((l) => l.includes(`"trace_id":"${traceId}"`))!;
    expect(JSON.parse(line)).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });

    // The event carries the request's trace context into the database.
    const event = await ctx.deps.models.Outbox.findOne({ type: "payment.approved", "payload.paymentId": payment.id }).lean();
    expect(event?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    // The real worker delivers it (dispatch-outbox fires every 10 s).
    const worker = spawnTs("src/worker.ts", tracedEnv(), { tracing: true });
    children.push(worker);
    await eventually(async () => named(inTrace(traceId), "outbox.consume notifications").length > 0, 40_000, 200);
    await stop(worker);
    await stop(web.child);

    const spans = inTrace(traceId);
    const [server] = spans.filter((s) => s.kind === SERVER);
    expect(server).toMatchObject({ name: "POST /admin/payments/:id/approve", service: "nextflix-web", parentSpanId: undefined });
    const [approve] = named(spans, "billing.approvePayment");
    expect(approve && descends(spans, approve, server!)).toBe(true);
    expect(approve!.attributes["payment.outcome"]).toBe("approved");
    // The conditional update that decides the approval, under the service span.
    const update = spans.find((s) => s.attributes["db.collection.name"] === "payments" && s.attributes["db.operation.name"] === "findOneAndUpdate");
    expect(update && descends(spans, update, approve!)).toBe(true);
    // Redis (the payment lock) is in the same trace.
    expect(spans.some((s) => s.attributes["db.system.name"] === "redis" && descends(spans, s, approve!))).toBe(true);

    const [enqueue] = named(spans, "outbox.enqueue payment.approved");
    expect(enqueue).toMatchObject({ kind: PRODUCER, service: "nextflix-web" });
    expect(descends(spans, enqueue!, approve!)).toBe(true);

    // The worker's delivery continues the trace under the write, linked to its dispatch run.
    const [deliver] = named(spans, "outbox.deliver payment.approved");
    expect(deliver).toMatchObject({ kind: CONSUMER, service: "nextflix-worker", parentSpanId: enqueue!.spanId });
    expect(deliver!.attributes["outbox.outcome"]).toBe("done");
    const [link] = deliver!.links;
    expect(link).toBeDefined();
    const run = receiver.spans.find((s) => s.spanId === link!.spanId);
    expect(run).toMatchObject({ name: "job dispatch-outbox", service: "nextflix-worker" });
    expect(run!.traceId).not.toBe(traceId);

    const [consume] = named(spans, "outbox.consume notifications");
    expect(descends(spans, consume!, deliver!)).toBe(true);
    const insert = spans.find((s) => s.attributes["db.collection.name"] === "notifications" && descends(spans, s, consume!));
    expect(insert).toBeDefined();
    expect(await ctx.deps.models.Notification.countDocuments({ userId: user.id, type: "payment.approved" })).toBe(1);

    // No span carries a session id or another key's variable part.
    const statements = receiver.spans.map((s) => String(s.attributes["db.query.text"] ?? "")).filter((q) => q.includes("sess:"));
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.every((q) => /sess:\*/.test(q) && !/sess:[^*]/.test(q))).toBe(true);
  }, 90_000);

  // Reads what the worker of the test above exported (it ran every job's schedule for a while).
  it("a cron fire is a trace of its own: the fire, the job run, its database and Redis calls", async () => {
    const fires = named(receiver.spans, "cron dispatch-outbox");
    expect(fires.length).toBeGreaterThan(0);
    const fire = fires[0]!;
    expect(fire).toMatchObject({ service: "nextflix-worker", parentSpanId: undefined });
    const spans = inTrace(fire.traceId);
    const [run] = named(spans, "job dispatch-outbox");
    expect(run).toMatchObject({ parentSpanId: fire.spanId });
    expect(run!.attributes).toMatchObject({ "job.name": "dispatch-outbox", "job.trigger": "schedule" });
    expect(spans.some((s) => s.attributes["db.collection.name"] === "jobruns" && descends(spans, s, run!))).toBe(true);
    expect(spans.some((s) => s.attributes["db.system.name"] === "redis" && descends(spans, s, run!))).toBe(true);
  });

  it("a CLI command is a trace: the command, the service it calls, the outbox write", async () => {
    const user = await insertUser(ctx.deps);
    const payment = await pendingPayment(ctx.deps, user.id);
    const cli = spawnTs("src/cli/main.ts", tracedEnv(), { tracing: true, args: ["approve", user.id] });
    children.push(cli);
    expect((await exited(cli)).code).toBe(0);
    // The CLI flushes its spans before it exits.
    const [command] = named(receiver.spans, "cli approve");
    expect(command).toMatchObject({ service: "nextflix-cli", parentSpanId: undefined });
    const spans = inTrace(command!.traceId);
    const [approve] = named(spans, "billing.approvePayment");
    expect(approve && descends(spans, approve, command!)).toBe(true);
    expect(approve!.attributes["payment.id"]).toBe(payment.id);
    expect(named(spans, "outbox.enqueue payment.approved")).toHaveLength(1);
  }, 30_000);
});

describe("tracing on, sampled", () => {
  it("a request the sampler does not keep makes no span and keeps a plain request id; a caller's sampled trace is continued", async () => {
    const { base, child } = await startWeb(tracedEnv({ OTEL_TRACES_SAMPLER_ARG: "0" }));
    const before = receiver.spans.length;
    const plain = await fetch(`${base}/login`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    // A caller that traces this request (sampled flag set) gets it in its own trace.
    const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const continued = await fetch(`${base}/login`, { headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` } });
    expect(continued.headers.get("x-request-id")).toBe(callerTrace);
    await eventually(async () => named(inTrace(callerTrace), "GET /login").length === 1, 5000);
    await stop(child);
    // Only the continued request's trace was exported, nothing of the request that was not kept.
    expect(receiver.spans.slice(before).every((s) => s.traceId === callerTrace)).toBe(true);
    expect(named(inTrace(callerTrace), "GET /login")[0]).toMatchObject({ parentSpanId: "00f067aa0ba902b7", attributes: { "http.route": "/login" } });
  }, 40_000);
});

describe("tracing off", () => {
  it("loads no SDK: nothing registers with the OpenTelemetry API unless an endpoint is set", () => {
    const registered = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        [
          ...["--import", "tsx", "--import", path.join(ROOT, "src/tracing/register.ts")],
          ...["-e", "console.log(Object.getOwnPropertySymbols(globalThis).some((s) => String(s).includes('opentelemetry')))"],
        ],
        { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" },
      ).stdout.trim();
    expect(registered({})).toBe("false");
    expect(registered({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url })).toBe("true");
  });

  it("exports nothing and keeps request ids as they were, with the register module loaded and no endpoint", async () => {
    const before = receiver.requests;
    const env = tracedEnv();
    delete (env as Record<string, string | undefined>).OTEL_EXPORTER_OTLP_ENDPOINT;
    const { base, child } = await startWeb(env);
    const res = await fetch(`${base}/login`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    await new Promise((r) => setTimeout(r, 500));
    await stop(child);
    expect(receiver.requests).toBe(before);
  }, 40_000);
});
