import { describe, expect, it } from "vitest";
import { allowedRatings, isAllowedFor, maturityFilter, viewerLevel } from "../../src/lib/maturity.js";

describe("maturity ceiling", () => {
  it("lets a viewer without a ceiling see every rating and adds no condition", () => {
    expect(maturityFilter({})).toEqual({});
    expect(maturityFilter({ maxMaturity: null })).toEqual({});
    expect(isAllowedFor(undefined, "NC-17")).toBe(true);
  });

  it("limits a PG ceiling to film and TV ratings at or under PG", () => {
    const allowed = allowedRatings({ maxMaturity: "PG" });
    expect(allowed.sort()).toEqual(["G", "PG", "TV-G", "TV-PG", "TV-Y"].sort());
    expect(isAllowedFor({ maxMaturity: "PG" }, "TV-14")).toBe(false);
    expect(isAllowedFor({ maxMaturity: "PG" }, "PG-13")).toBe(false);
  });

  it("builds an $in filter over the allowed ratings", () => {
    const filter = maturityFilter({ maxMaturity: "G" }) as { maturity: { $in: string[] } };
    expect(filter.maturity.$in.sort()).toEqual(["G", "TV-G", "TV-Y"]);
  });

  it("treats an unknown ceiling as the strictest level, never as no ceiling", () => {
    expect(viewerLevel({ maxMaturity: "ALL" })).toBe(0);
    expect(allowedRatings({ maxMaturity: "bogus" })).toEqual(["TV-Y"]);
  });

  it("hides titles with an unknown rating from any ceiling", () => {
    expect(isAllowedFor({ maxMaturity: "R" }, "X")).toBe(false);
  });
});
