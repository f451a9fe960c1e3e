import type { NextFunction, Request, RequestHandler, Response } from "express";
import { describe, expect, it } from "vitest";
import { concurrently } from "../../src/lib/request-context.js";

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(handler: RequestHandler): Promise<{ err: unknown; calls: number }> {
  return new Promise((resolve) => {
    let calls = 0;
    const next: NextFunction = (err?: unknown) => {
      calls += 1;
      // Let any stray second call show up before answering.
      void later(20).then(() => resolve({ err, calls }));
    };
    void handler({} as Request, {} as Response, next);
  });
}

describe("concurrently", () => {
  it("starts every handler at once and goes on after the slowest, once", async () => {
    const started: string[] = [];
    const finished: string[] = [];
    const step =
      (name: string, ms: number): RequestHandler =>
      async (_req, _res, next) => {
        started.push(name);
        await later(ms);
        finished.push(name);
        next();
      };
    const { err, calls } = await run(concurrently(step("slow", 30), step("fast", 5)));
    expect(started).toEqual(["slow", "fast"]);
    expect(finished).toEqual(["fast", "slow"]);
    expect(err).toBeUndefined();
    expect(calls).toBe(1);
  });

  it("passes on the first error, after the others have finished, whether passed, thrown or rejected", async () => {
    const order: string[] = [];
    const { err, calls } = await run(
      concurrently(
        async (_req, _res, next) => {
          await later(5);
          order.push("passed");
          next(new Error("passed"));
        },
        () => {
          order.push("thrown");
          throw new Error("thrown synchronously");
        },
        async () => {
          await later(15);
          order.push("rejected");
          throw new Error("rejected");
        },
      ),
    );
    expect(order).toEqual(["thrown", "passed", "rejected"]);
    expect((err as Error).message).toBe("thrown synchronously");
    expect(calls).toBe(1);
  });
});
