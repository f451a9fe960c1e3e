import { describe, expect, it } from "vitest";
import { backdropSvg, posterSvg, wrapTitle } from "../../src/services/catalog/art.js";

const src = (slug: string, title: string) => ({ slug, title, year: 1922, kind: "movie" as const, genres: ["horror"] });

describe("generated title art", () => {
  it("draws the same poster for the same title and different posters for different titles", () => {
    expect(posterSvg(src("nosferatu-1922", "Nosferatu"))).toBe(posterSvg(src("nosferatu-1922", "Nosferatu")));
    expect(posterSvg(src("nosferatu-1922", "Nosferatu"))).not.toBe(posterSvg(src("metropolis-1927", "Metropolis")));
  });

  it("shows the title and year on the poster, escaped as XML", () => {
    const svg = posterSvg(src("x", `<img src=x onerror=alert(1)> & "Co"`));
    expect(svg).not.toContain("<img");
    expect(svg).toContain("&lt;IMG");
    expect(svg).toContain("1922");
    expect(backdropSvg(src("x", "<script>"))).not.toContain("<script>");
  });

  it("wraps long titles into a few lines and marks a cut with an ellipsis", () => {
    expect(wrapTitle("THE CABINET OF DR. CALIGARI", 13, 4)).toEqual(["THE CABINET", "OF DR.", "CALIGARI"]);
    const cut = wrapTitle("ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN", 8, 2);
    expect(cut).toHaveLength(2);
    expect(cut[1]!.endsWith("…")).toBe(true);
  });
});
