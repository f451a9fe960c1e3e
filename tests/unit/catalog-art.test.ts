import { describe, expect, it } from "vitest";
import { backdropSvg, MOTIF_COUNT, motifOf, posterSvg, stillSvg, wrapTitle } from "../../src/services/catalog/art.js";
import { demoTitles } from "../../src/services/catalog/demo/index.js";

const src = (slug: string, title: string) => ({ slug, title, year: 1922, kind: "movie" as const, genres: ["horror"] });

describe("generated title art", () => {
  it("draws the same poster for the same title and different posters for different titles", () => {
    expect(posterSvg(src("nosferatu-1922", "Nosferatu"))).toBe(posterSvg(src("nosferatu-1922", "Nosferatu")));
    expect(posterSvg(src("nosferatu-1922", "Nosferatu"))).not.toBe(posterSvg(src("metropolis-1927", "Metropolis")));
  });

  it("shows the title and year on the poster, escaped as XML", () => {
    const svg = posterSvg(src("x", `<img src=x onerror=alert(1)> & "Co"`));
    expect(svg).not.toContain("<img");
    expect(svg.toLowerCase()).toContain("&lt;img");
    expect(svg).toContain("1922");
    expect(backdropSvg(src("x", "<script>"))).not.toContain("<script>");
  });

  it("wraps long titles into a few lines and marks a cut with an ellipsis", () => {
    expect(wrapTitle("THE CABINET OF DR. CALIGARI", 13, 4)).toEqual(["THE CABINET", "OF DR.", "CALIGARI"]);
    const cut = wrapTitle("ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN", 8, 2);
    expect(cut).toHaveLength(2);
    expect(cut[1]!.endsWith("…")).toBe(true);
  });

  it("draws on many motifs and title layouts, so a row of posters does not repeat a handful", () => {
    const titles = demoTitles();
    const motifs = new Map<number, number>();
    for (const t of titles) motifs.set(motifOf(t.slug), (motifs.get(motifOf(t.slug)) ?? 0) + 1);
    expect(motifs.size).toBeGreaterThanOrEqual(MOTIF_COUNT - 2);
    // No motif takes more than about twice its fair share of the catalog.
    expect(Math.max(...motifs.values())).toBeLessThanOrEqual(Math.ceil((2 * titles.length) / MOTIF_COUNT));
    // Ten posters in a row (the most popular ten) use at least six motifs.
    const row = [...titles].sort((a, b) => (b.popularity ?? 0) - (a.popularity ?? 0)).slice(0, 10);
    expect(new Set(row.map((t) => motifOf(t.slug))).size).toBeGreaterThanOrEqual(6);
    // Title layouts: heavy capitals, a serif, light spaced capitals, a band.
    const fonts = new Set(
      titles.map(
        (t) => /font-weight="(\d+)"[^>]*>/.exec(posterSvg({ slug: t.slug, title: t.title, year: t.year ?? null, kind: t.kind, genres: t.genres ?? [] }))?.[0],
      ),
    );
    expect(fonts.size).toBeGreaterThanOrEqual(3);
  });

  it("keeps every motif small and well formed", () => {
    for (let i = 0; i < 400; i++) {
      const slug = `title-${i}`;
      const art = src(slug, "A Rather Long Title For Wrapping Tests");
      const poster = posterSvg(art);
      expect(poster.length).toBeLessThan(12_000);
      expect(backdropSvg(art).length).toBeLessThan(16_000);
      expect(stillSvg(art, 1, (i % 9) + 1).length).toBeLessThan(12_000);
      expect(poster).not.toMatch(/NaN|undefined/);
    }
  });
});
