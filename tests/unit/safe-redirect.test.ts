import { describe, expect, it } from "vitest";
import { safeNextPath } from "../../src/lib/safe-redirect.js";

describe("safeNextPath", () => {
  it("keeps paths on this site with their query and hash", () => {
    expect(safeNextPath("/title/metropolis?x=1#top")).toBe("/title/metropolis?x=1#top");
  });

  it.each([
    "https://evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/%0d%0aLocation: https://evil.example",
    " /browse",
    "",
    undefined,
    ["/browse"],
  ])("sends %j to /browse", (next) => {
    expect(safeNextPath(next)).toBe("/browse");
  });
});

describe("safeNextPath after normalisation", () => {
  it.each(["/.//evil.example", "/%2e//evil.example", "/a/..//evil.example", "/%2e%2e//evil.example", "/./\\evil.example", "/\t/evil.example"])(
    "sends %j to /browse, not to //evil.example",
    (next) => {
      expect(safeNextPath(next)).toBe("/browse");
    },
  );

  it("keeps a path whose dot segments stay on the site, normalised", () => {
    expect(safeNextPath("/a/../title/x")).toBe("/title/x");
  });
});
