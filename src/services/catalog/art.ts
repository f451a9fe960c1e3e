// Generated title art: a poster (2:3) and a backdrop (16:9) as SVG, drawn from the title itself so
// every demo title gets distinct, legible artwork with no image files and no network.
import { NotFoundError } from "../../lib/errors.js";
import { getComingSoon } from "./coming-soon.js";
import { getTitleDetail, type CatalogDeps } from "./titles.js";

export interface ArtSource {
  slug: string;
  title: string;
  year: number | null;
  kind: "movie" | "series";
  genres: string[];
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small deterministic PRNG (mulberry32), so the same title always draws the same picture. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

// Genres nudge the palette: horror runs red and dark, science fiction cold, westerns warm.
const GENRE_HUE: Record<string, number> = {
  horror: 355,
  "science-fiction": 200,
  western: 30,
  comedy: 48,
  romance: 330,
  crime: 220,
  war: 90,
  animation: 280,
  family: 150,
  documentary: 170,
};

interface Palette {
  bgFrom: string;
  bgTo: string;
  motif: string;
  accent: string;
}

function palette(src: ArtSource, r: () => number): Palette {
  const base = GENRE_HUE[src.genres[0] ?? ""] ?? Math.floor(r() * 360);
  const h1 = (base + Math.floor(r() * 50) - 25 + 360) % 360;
  const h2 = (h1 + 40 + Math.floor(r() * 120)) % 360;
  return {
    bgFrom: `hsl(${h1} 55% 24%)`,
    bgTo: `hsl(${h2} 60% 9%)`,
    motif: `hsl(${h2} 75% 62%)`,
    accent: `hsl(${(h1 + 180) % 360} 85% 60%)`,
  };
}

function motif(kind: number, w: number, h: number, p: Palette, r: () => number): string {
  const parts: string[] = [];
  const cx = Math.round(w * (0.25 + r() * 0.5));
  const cy = Math.round(h * (0.2 + r() * 0.35));
  switch (kind) {
    case 0: // concentric rings
      for (let i = 1; i <= 9; i++)
        parts.push(
          `<circle cx="${cx}" cy="${cy}" r="${i * Math.round(w / 14)}" fill="none" stroke="${p.motif}" stroke-width="${1 + (i % 3) * 2}" opacity="${(0.55 - i * 0.05).toFixed(2)}"/>`,
        );
      break;
    case 1: // diagonal stripes
      for (let x = -h; x < w + h; x += Math.round(w / 9))
        parts.push(`<path d="M${x} 0 L${x + h} ${h}" stroke="${p.motif}" stroke-width="${Math.round(w / 30)}" opacity="0.22"/>`);
      break;
    case 2: // sunburst
      for (let a = 0; a < 360; a += 12) {
        const rad = (a * Math.PI) / 180;
        const x = Math.round(cx + Math.cos(rad) * w * 1.5);
        const y = Math.round(cy + Math.sin(rad) * w * 1.5);
        const rad2 = ((a + 5) * Math.PI) / 180;
        parts.push(
          `<path d="M${cx} ${cy} L${x} ${y} L${Math.round(cx + Math.cos(rad2) * w * 1.5)} ${Math.round(cy + Math.sin(rad2) * w * 1.5)}Z" fill="${p.motif}" opacity="0.16"/>`,
        );
      }
      parts.push(`<circle cx="${cx}" cy="${cy}" r="${Math.round(w / 8)}" fill="${p.accent}" opacity="0.85"/>`);
      break;
    case 3: // dot grid
      for (let y = Math.round(h / 20); y < h; y += Math.round(h / 14))
        for (let x = Math.round(w / 16); x < w; x += Math.round(w / 8))
          parts.push(`<circle cx="${x}" cy="${y}" r="${(2 + (r() * w) / 40).toFixed(1)}" fill="${p.motif}" opacity="${(0.15 + r() * 0.45).toFixed(2)}"/>`);
      break;
    case 4: {
      // layered hills under a moon
      parts.push(`<circle cx="${cx}" cy="${Math.round(h * 0.22)}" r="${Math.round(w / 9)}" fill="${p.accent}" opacity="0.9"/>`);
      for (let layer = 0; layer < 4; layer++) {
        const base = h * (0.45 + layer * 0.12);
        let d = `M0 ${h} L0 ${Math.round(base)}`;
        for (let x = 0; x <= w; x += Math.round(w / 6)) d += ` L${x} ${Math.round(base - r() * h * 0.12)}`;
        parts.push(`<path d="${d} L${w} ${h}Z" fill="${p.motif}" opacity="${(0.18 + layer * 0.14).toFixed(2)}"/>`);
      }
      break;
    }
    case 5: // overlapping discs
      for (let i = 0; i < 7; i++)
        parts.push(
          `<circle cx="${Math.round(r() * w)}" cy="${Math.round(r() * h * 0.7)}" r="${Math.round(w / 10 + (r() * w) / 4)}" fill="${i % 2 ? p.motif : p.accent}" opacity="${(0.12 + r() * 0.2).toFixed(2)}"/>`,
        );
      break;
    case 6: {
      // blocks: a few rectangles of colour, like a poster of the 1920s
      for (let i = 0; i < 6; i++) {
        const bw = Math.round(w * (0.15 + r() * 0.45));
        const bh = Math.round(h * (0.08 + r() * 0.3));
        parts.push(
          `<rect x="${Math.round(r() * (w - bw))}" y="${Math.round(r() * h * 0.6)}" width="${bw}" height="${bh}" fill="${i % 3 ? p.motif : p.accent}" opacity="${(0.18 + r() * 0.3).toFixed(2)}"/>`,
        );
      }
      break;
    }
    case 7: // waves
      for (let i = 0; i < 8; i++) {
        const y = Math.round(h * (0.15 + i * 0.09));
        const amp = Math.round(h * (0.02 + r() * 0.04));
        const step = Math.round(w / 4);
        let d = `M0 ${y}`;
        for (let x = 0; x < w; x += step) d += ` q${step / 2} ${i % 2 ? amp : -amp} ${step} 0`;
        parts.push(`<path d="${d}" fill="none" stroke="${i % 3 ? p.motif : p.accent}" stroke-width="${Math.round(w / 60) + 1}" opacity="0.4"/>`);
      }
      break;
    case 8: {
      // spotlights: beams fanning down from above
      for (let i = 0; i < 5; i++) {
        const x = Math.round(w * (0.1 + i * 0.2 + (r() - 0.5) * 0.1));
        const spread = Math.round(w * (0.12 + r() * 0.12));
        const tilt = Math.round((r() - 0.5) * w * 0.5);
        parts.push(`<path d="M${x} 0 L${x + tilt - spread} ${h} L${x + tilt + spread} ${h}Z" fill="${i % 2 ? p.motif : p.accent}" opacity="0.14"/>`);
      }
      break;
    }
    case 9: {
      // skyline: buildings against a low sun
      parts.push(`<circle cx="${cx}" cy="${Math.round(h * 0.5)}" r="${Math.round(w / 6)}" fill="${p.accent}" opacity="0.7"/>`);
      let x = 0;
      while (x < w) {
        const bw = Math.round(w * (0.06 + r() * 0.1));
        const bh = Math.round(h * (0.15 + r() * 0.4));
        parts.push(`<rect x="${x}" y="${h - bh}" width="${bw}" height="${bh}" fill="${p.bgTo}" opacity="0.92"/>`);
        x += bw + Math.round(r() * 4);
      }
      break;
    }
    case 10: {
      // spiral
      let d = `M${cx} ${cy}`;
      for (let a = 0; a < 26; a += 0.35) d += ` L${Math.round(cx + Math.cos(a) * a * w * 0.02)} ${Math.round(cy + Math.sin(a) * a * w * 0.02)}`;
      parts.push(`<path d="${d}" fill="none" stroke="${p.motif}" stroke-width="${Math.round(w / 70) + 1}" opacity="0.5"/>`);
      break;
    }
    case 11: {
      // a ringed planet in a field of stars
      for (let i = 0; i < 40; i++)
        parts.push(
          `<circle cx="${Math.round(r() * w)}" cy="${Math.round(r() * h)}" r="${(0.6 + r() * 1.8).toFixed(1)}" fill="#fff" opacity="${(0.3 + r() * 0.6).toFixed(2)}"/>`,
        );
      const pr = Math.round(w / 5);
      parts.push(`<circle cx="${cx}" cy="${cy}" r="${pr}" fill="${p.motif}" opacity="0.85"/>`);
      parts.push(
        `<ellipse cx="${cx}" cy="${cy}" rx="${pr * 2}" ry="${Math.round(pr / 3)}" fill="none" stroke="${p.accent}" stroke-width="${Math.round(pr / 8)}" opacity="0.8" transform="rotate(-18 ${cx} ${cy})"/>`,
      );
      break;
    }
    case 12: // chevrons
      for (let y = -Math.round(h / 10); y < h; y += Math.round(h / 9)) {
        const d = `M0 ${y} L${Math.round(w / 2)} ${y + Math.round(h / 12)} L${w} ${y}`;
        parts.push(`<path d="${d}" fill="none" stroke="${p.motif}" stroke-width="${Math.round(h / 40)}" opacity="0.25"/>`);
      }
      break;
    case 13: {
      // film strip: a band of frames across the picture
      const y = Math.round(h * (0.2 + r() * 0.3));
      const bh = Math.round(h * 0.22);
      parts.push(`<rect x="0" y="${y}" width="${w}" height="${bh}" fill="#000" opacity="0.55"/>`);
      const hole = Math.round(bh / 9);
      for (let x = hole; x < w; x += hole * 3)
        parts.push(
          `<rect x="${x}" y="${y + hole}" width="${hole * 1.5}" height="${hole}" fill="${p.accent}" opacity="0.7"/><rect x="${x}" y="${y + bh - hole * 2}" width="${hole * 1.5}" height="${hole}" fill="${p.accent}" opacity="0.7"/>`,
        );
      for (let x = hole; x < w; x += Math.round(w / 3))
        parts.push(`<rect x="${x}" y="${y + hole * 3}" width="${Math.round(w / 3) - hole * 2}" height="${bh - hole * 6}" fill="${p.motif}" opacity="0.35"/>`);
      break;
    }
    case 14: // lattice
      for (let i = -w; i < w * 2; i += Math.round(w / 7)) {
        parts.push(`<path d="M${i} 0 L${i + h * 0.6} ${h}" stroke="${p.motif}" stroke-width="2" opacity="0.3"/>`);
        parts.push(`<path d="M${i} 0 L${i - h * 0.6} ${h}" stroke="${p.accent}" stroke-width="2" opacity="0.2"/>`);
      }
      break;
    default: {
      // a great eye / target: a disc, a ring and a pupil
      const rr = Math.round(w / 4);
      parts.push(`<ellipse cx="${cx}" cy="${cy}" rx="${rr * 1.6}" ry="${rr}" fill="${p.motif}" opacity="0.3"/>`);
      parts.push(`<circle cx="${cx}" cy="${cy}" r="${Math.round(rr * 0.7)}" fill="${p.accent}" opacity="0.8"/>`);
      parts.push(`<circle cx="${cx}" cy="${cy}" r="${Math.round(rr * 0.3)}" fill="${p.bgTo}"/>`);
    }
  }
  // A nested <svg> clips what a motif draws past its edges (an <img> would show it otherwise).
  return `<svg width="${w}" height="${h}">${parts.join("")}</svg>`;
}

/** How many motifs the art draws from (see `motif`). */
export const MOTIF_COUNT = 16;

/** Which motif a slug's art uses: the same for the poster and the backdrop. */
export function motifOf(slug: string): number {
  return hash(slug + "m") % MOTIF_COUNT;
}

// Poster typography: the font stacks stay on fonts an <img> can use (no web fonts in SVG images).
const SANS_CONDENSED = "'DejaVu Sans Condensed','Arial Narrow',Arial,sans-serif";
const SERIF = "'DejaVu Serif',Georgia,'Times New Roman',serif";
const SANS = "'DejaVu Sans',Arial,sans-serif";

/** One of four title layouts, chosen by the slug: bottom caps, centred serif, top stack, a band. */
function posterTitle(src: ArtSource, p: Palette, w: number, h: number): string {
  const style = hash(src.slug + "t") % 4;
  const meta = src.year ? String(src.year) : "";
  const year = (x: number, y: number, anchor = "start") =>
    `<text x="${x}" y="${y}" fill="#ddd" font-family="${SANS}" font-size="14" letter-spacing="2" text-anchor="${anchor}">${escapeXml(meta)}</text>`;
  if (style === 1) {
    // Centred serif in title case, between two thin rules.
    const lines = wrapTitle(src.title, 16, 4);
    const longest = Math.max(...lines.map((l) => l.length), 1);
    const size = Math.max(18, Math.min(42, Math.floor(260 / (longest * 0.62))));
    const top = h * 0.62 - (lines.length * size * 1.12) / 2;
    const text = lines.map((l, i) => `<text x="${w / 2}" y="${Math.round(top + (i + 1) * size * 1.12)}" font-size="${size}">${escapeXml(l)}</text>`).join("");
    const bottom = Math.round(top + lines.length * size * 1.12 + 16);
    return (
      `<rect x="${w / 2 - 40}" y="${Math.round(top - 6)}" width="80" height="2" fill="${p.accent}"/>` +
      `<g fill="#fff" font-family="${SERIF}" font-weight="700" font-style="italic" text-anchor="middle">${text}</g>` +
      `<rect x="${w / 2 - 40}" y="${bottom}" width="80" height="2" fill="${p.accent}"/>` +
      year(w / 2, h - 22, "middle")
    );
  }
  if (style === 2) {
    // Stacked at the top, light and widely spaced capitals.
    const lines = wrapTitle(src.title.toUpperCase(), 11, 4);
    const longest = Math.max(...lines.map((l) => l.length), 1);
    const size = Math.max(18, Math.min(40, Math.floor(250 / (longest * 0.95))));
    const text = lines.map((l, i) => `<text x="22" y="${Math.round(44 + i * size * 1.15 + size * 0.5)}" font-size="${size}">${escapeXml(l)}</text>`).join("");
    return `<g fill="#fff" font-family="${SANS}" font-weight="300" letter-spacing="4">${text}</g>` + year(22, h - 22);
  }
  if (style === 3) {
    // A band of the accent colour across the lower third, dark heavy letters on it.
    const lines = wrapTitle(src.title.toUpperCase(), 13, 3);
    const longest = Math.max(...lines.map((l) => l.length), 1);
    const size = Math.max(16, Math.min(38, Math.floor(256 / (longest * 0.84))));
    const bandH = Math.round(lines.length * size * 1.1 + 28);
    const y0 = Math.round(h * 0.66 - bandH / 2);
    const text = lines
      .map((l, i) => `<text x="${w / 2}" y="${Math.round(y0 + 14 + (i + 1) * size * 1.05)}" font-size="${size}">${escapeXml(l)}</text>`)
      .join("");
    return (
      `<rect x="0" y="${y0}" width="${w}" height="${bandH}" fill="${p.accent}" opacity="0.92"/>` +
      `<g fill="#111" font-family="${SANS_CONDENSED}" font-weight="800" text-anchor="middle">${text}</g>` +
      year(w / 2, h - 22, "middle")
    );
  }
  // Bottom-left heavy condensed capitals over an accent bar.
  const lines = wrapTitle(src.title.toUpperCase(), 12, 4);
  const longest = Math.max(...lines.map((l) => l.length), 1);
  // Bold capitals in DejaVu Sans run up to about 0.84 em wide; size the longest line to fit 256 px.
  const size = Math.max(18, Math.min(46, Math.floor(256 / (longest * 0.84))));
  const top = h - 40 - lines.length * size * 1.08;
  const text = lines.map((l, i) => `<text x="20" y="${Math.round(top + (i + 1) * size * 1.08)}" font-size="${size}">${escapeXml(l)}</text>`).join("");
  return (
    `<rect x="20" y="${Math.round(top - 4)}" width="44" height="5" fill="${p.accent}"/>` +
    `<g fill="#fff" font-family="${SANS_CONDENSED}" font-weight="800" letter-spacing="0.5">${text}</g>` +
    year(20, h - 18)
  );
}

/** Greedy word wrap into at most `maxLines` lines of about `width` characters. */
export function wrapTitle(title: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of title.split(/\s+/).filter(Boolean)) {
    if (line && (line + " " + word).length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`;
    return kept;
  }
  return lines;
}

function background(id: string, p: Palette, w: number, h: number): string {
  return (
    `<defs><linearGradient id="${id}" x1="0" y1="0" x2="0.6" y2="1"><stop offset="0" stop-color="${p.bgFrom}"/><stop offset="1" stop-color="${p.bgTo}"/></linearGradient>` +
    `<linearGradient id="${id}s" x1="0" y1="0" x2="0" y2="1"><stop offset="0.45" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.85"/></linearGradient></defs>` +
    `<rect width="${w}" height="${h}" fill="url(#${id})"/>`
  );
}

export function posterSvg(src: ArtSource): string {
  const w = 300;
  const h = 450;
  const r = rng(hash(src.slug));
  const p = palette(src, r);
  // Only the title and year: the art carries no words that would need translating.
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeXml(src.title)}">` +
    background("g", p, w, h) +
    motif(motifOf(src.slug), w, h, p, r) +
    `<rect width="${w}" height="${h}" fill="url(#gs)"/>` +
    posterTitle(src, p, w, h) +
    `</svg>`
  );
}

export function backdropSvg(src: ArtSource): string {
  const w = 1280;
  const h = 720;
  const r = rng(hash(src.slug));
  const p = palette(src, r);
  const kind = motifOf(src.slug);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeXml(src.title)}">` +
    background("b", p, w, h) +
    `<g transform="translate(${Math.round(w * 0.3)} 0)">${motif(kind, Math.round(w * 0.7), h, p, r)}</g>` +
    `</svg>`
  );
}

/** An episode's still (16:9): the title's palette with a motif of the episode's own. */
export function stillSvg(src: ArtSource, season: number, episode: number): string {
  const w = 480;
  const h = 270;
  const r = rng(hash(`${src.slug}/${season}/${episode}`));
  const p = palette(src, rng(hash(src.slug)));
  const kind = hash(`${src.slug}/${season}/${episode}m`) % MOTIF_COUNT;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeXml(src.title)} S${season}:E${episode}">` +
    background("e", p, w, h) +
    motif(kind, w, h, p, r) +
    `<rect width="${w}" height="${h}" fill="url(#es)"/>` +
    `</svg>`
  );
}

/**
 * The art of a published or announced title (Coming soon shows it too; no viewer ceiling:
 * artwork is public, like a CDN's images).
 */
export async function getTitleArt(deps: CatalogDeps, slug: string): Promise<ArtSource> {
  const t = await getTitleDetail(deps, {}, slug).catch(async (err: unknown) => {
    const announced = err instanceof NotFoundError ? await getComingSoon(deps, {}, { slug }) : null;
    if (!announced) throw err;
    return announced;
  });
  return { slug: t.slug, title: t.title, year: t.year, kind: t.kind, genres: t.genres };
}
