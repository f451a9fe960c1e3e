import { describe, expect, it } from "vitest";
import { buildSearchKeys, foldText, MAX_PREFIX, queryKeys } from "../../src/lib/search-keys.js";

describe("search keys", () => {
  it("folds Vietnamese diacritics and đ to plain letters", () => {
    expect(foldText("Đêm Trăng Cuối Cùng")).toBe("dem trang cuoi cung");
    expect(foldText("Phở & Bánh mì!")).toBe("pho banh mi");
  });

  it("stores every prefix of every word of the title and original title", () => {
    const keys = buildSearchKeys("Night of the Living Dead", "La Nuit");
    for (const k of ["n", "ni", "night", "l", "li", "living", "d", "dead", "nuit", "la"]) expect(keys).toContain(k);
    expect(keys).not.toContain("ight");
  });

  it("caps prefixes at MAX_PREFIX characters and cuts query words the same way", () => {
    const long = "supercalifragilisticexpialidocious";
    const keys = buildSearchKeys(long);
    expect(Math.max(...keys.map((k) => k.length))).toBe(MAX_PREFIX);
    expect(keys).toContain(queryKeys(long)[0]);
  });

  it("turns a query into distinct folded words", () => {
    expect(queryKeys("  Đêm  đêm TRĂNG ")).toEqual(["dem", "trang"]);
    expect(queryKeys("!!!")).toEqual([]);
  });
});
