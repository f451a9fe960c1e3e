// Search keys: accent-folded word prefixes stored on each title, since FerretDB has no $text index.

/** Longest prefix stored; longer query words are cut to this length before matching. */
export const MAX_PREFIX = 16;
const MAX_QUERY_WORDS = 6;

/**
 * Lower-case, strip diacritics (Vietnamese tones and marks fold too: "Đêm" -> "dem"), and turn
 * anything that is not a letter or digit into a word break.
 */
export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export function words(text: string): string[] {
  const folded = foldText(text);
  return folded ? folded.split(" ") : [];
}

/** Every prefix (1..MAX_PREFIX chars) of every word of every given text, deduplicated. */
export function buildSearchKeys(...texts: (string | null | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const word of words(text)) {
      const chars = [...word];
      for (let i = 1; i <= Math.min(chars.length, MAX_PREFIX); i++) keys.add(chars.slice(0, i).join(""));
    }
  }
  return [...keys];
}

/** The query's words as keys to match with `$all`: each must start some word of the title. */
export function queryKeys(query: string): string[] {
  const unique = new Set(words(query).map((w) => [...w].slice(0, MAX_PREFIX).join("")));
  return [...unique].slice(0, MAX_QUERY_WORDS);
}
