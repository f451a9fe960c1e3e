import { describe, expect, it } from "vitest";
import { safeEqual } from "../../src/lib/safe-equal.js";

describe("safeEqual", () => {
  it("is true only for the same string", () => {
    expect(safeEqual("a-secret-token", "a-secret-token")).toBe(true);
    expect(safeEqual("a-secret-token", "a-secret-tokeN")).toBe(false);
    expect(safeEqual("a-secret-token", "a-secret-token-longer")).toBe(false);
    expect(safeEqual("a-secret-token", "")).toBe(false);
  });

  it("is false when either side is missing or not a string", () => {
    expect(safeEqual(undefined, "x")).toBe(false);
    expect(safeEqual("x", undefined)).toBe(false);
    expect(safeEqual(["x"], "x")).toBe(false);
    expect(safeEqual(undefined, undefined)).toBe(false);
  });
});
