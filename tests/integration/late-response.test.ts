// A handler that finishes after the request deadline: the 503 was sent, the late answer is
// dropped (no ERR_HTTP_HEADERS_SENT), and the request leaves exactly one JSON log line.
// The app here is the real request plumbing (logger, deadline, error handler) around one route
// that answers later than the deadline; a real page cannot be slowed down on cue.
import express from "express";
import { pino } from "pino";
import request from "supertest";
import { describe, expect, it, vi } from "vitest";
import { errorHandler } from "../../src/lib/error-handler.js";
import { requestDeadline, requestLogger } from "../../src/lib/request-context.js";

function lateApp(lines: Record<string, unknown>[], settled: (lateError: unknown) => void) {
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const app = express();
  app.use(requestLogger(logger));
  app.use(requestDeadline(20));
  app.get("/slow", async (_req, res) => {
    await new Promise((r) => setTimeout(r, 150));
    try {
      res.status(200).type("html").send("<p>the page, too late</p>");
      settled(null);
    } catch (err) {
      settled(err);
    }
  });
  app.use(errorHandler(logger));
  return app;
}

describe("a page finished after the request deadline", () => {
  it("answers 503 once, writes nothing after it, and logs one line about it", async () => {
    const lines: Record<string, unknown>[] = [];
    let done!: (lateError: unknown) => void;
    const lateWriteTried = new Promise<unknown>((r) => (done = r));
    const app = lateApp(lines, done);
    const stderr = vi.spyOn(process.stderr, "write");

    const res = await request(app).get("/slow").set("Accept", "application/json").set("X-Request-Id", "late-page-0001");
    const lateError = await lateWriteTried;
    await new Promise((r) => setImmediate(r));
    stderr.mockRestore();

    expect(res.status).toBe(503);
    expect(res.body.status).toBe(503);
    expect(lateError).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, req: { id: "late-page-0001" }, res: { statusCode: 503 }, err: { message: "errors.timeout" } });
    expect(stderr).not.toHaveBeenCalled();
  });
});
