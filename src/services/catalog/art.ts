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
    default: // overlapping discs
      for (let i = 0; i < 7; i++)
        parts.push(
          `<circle cx="${Math.round(r() * w)}" cy="${Math.round(r() * h * 0.7)}" r="${Math.round(w / 10 + (r() * w) / 4)}" fill="${i % 2 ? p.motif : p.accent}" opacity="${(0.12 + r() * 0.2).toFixed(2)}"/>`,
        );
  }
  return parts.join("");
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
  const kind = hash(src.slug + "m") % 6;
  const lines = wrapTitle(src.title.toUpperCase(), 12, 4);
  const longest = Math.max(...lines.map((l) => l.length), 1);
  // Bold capitals in DejaVu Sans run up to about 0.84 em wide; size the longest line to fit 256 px.
  const size = Math.max(18, Math.min(46, Math.floor(256 / (longest * 0.84))));
  const top = h - 40 - lines.length * size * 1.08;
  const text = lines.map((l, i) => `<text x="20" y="${Math.round(top + (i + 1) * size * 1.08)}" font-size="${size}">${escapeXml(l)}</text>`).join("");
  // Only the year: the art carries no words that would need translating.
  const meta = src.year ? String(src.year) : "";
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeXml(src.title)}">` +
    background("g", p, w, h) +
    motif(kind, w, h, p, r) +
    `<rect width="${w}" height="${h}" fill="url(#gs)"/>` +
    `<rect x="20" y="${Math.round(top - 4)}" width="44" height="5" fill="${p.accent}"/>` +
    `<g fill="#fff" font-family="'DejaVu Sans Condensed','Arial Narrow',Arial,sans-serif" font-weight="800" letter-spacing="0.5">${text}</g>` +
    `<text x="20" y="${h - 18}" fill="#ddd" font-family="'DejaVu Sans',Arial,sans-serif" font-size="14" letter-spacing="2">${escapeXml(meta)}</text>` +
    `</svg>`
  );
}

export function backdropSvg(src: ArtSource): string {
  const w = 1280;
  const h = 720;
  const r = rng(hash(src.slug));
  const p = palette(src, r);
  const kind = hash(src.slug + "m") % 6;
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
  const kind = hash(`${src.slug}/${season}/${episode}m`) % 6;
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
