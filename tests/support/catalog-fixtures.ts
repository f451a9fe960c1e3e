// Catalog test data: titles created through the service (search keys, cache invalidation included).
import type { Deps } from "../../src/deps.js";
import { createTitle, type TitleInput } from "../../src/services/catalog/title-admin.js";

let n = 0;

export function uniqueSlug(prefix = "t"): string {
  n += 1;
  return `${prefix}-${Date.now().toString(36)}-${n}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function makeTitle(deps: Deps, overrides: Partial<TitleInput> = {}, publish = true) {
  const input: TitleInput = {
    kind: "movie",
    slug: uniqueSlug(),
    title: "Test Title",
    overview: "An overview.",
    overviewVi: "Một tóm tắt.",
    genres: ["drama"],
    year: 1950,
    runtimeMin: 90,
    maturity: "PG",
    popularity: 10,
    ...overrides,
  };
  input.posterUrl ??= `/art/${input.slug}/poster.svg`;
  input.backdropUrl ??= `/art/${input.slug}/backdrop.svg`;
  return createTitle(deps, input, { publish });
}

export function makeSeries(deps: Deps, overrides: Partial<TitleInput> = {}) {
  return makeTitle(deps, {
    kind: "series",
    maturity: "TV-PG",
    runtimeMin: null,
    seasons: [
      {
        number: 1,
        title: "First",
        year: 1950,
        episodes: [
          { number: 1, title: "Pilot Alpha", runtimeMin: 20 },
          { number: 2, title: "Second Alpha", runtimeMin: 20 },
        ],
      },
      { number: 2, title: "Second", year: 1951, episodes: [{ number: 1, title: "Return Beta", runtimeMin: 21 }] },
    ],
    ...overrides,
  });
}
