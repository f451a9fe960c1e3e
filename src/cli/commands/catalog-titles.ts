// netflix-admin catalog list | show | publish | unpublish | announce: the admin catalog page's list and status buttons.
import type { Command } from "commander";
import { z } from "zod";
import {
  announceTitle,
  getTitleByRef,
  listTitlesForAdmin,
  parseReleaseDate,
  setTitleStatus,
  TITLE_KINDS,
  TITLE_STATUSES,
} from "../../services/catalog/index.js";
import { jsonOnly, parseArgs } from "../args.js";
import type { CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";

const listArgs = z.strictObject({
  json: z.boolean().optional(),
  search: z.string().trim().max(100).optional(),
  status: z.enum(TITLE_STATUSES, { error: `status must be one of: ${TITLE_STATUSES.join(", ")}` }).optional(),
  kind: z.enum(TITLE_KINDS, { error: `kind must be one of: ${TITLE_KINDS.join(", ")}` }).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

const announceArgs = z.strictObject({
  json: z.boolean().optional(),
  date: z.string({ error: "--date is required (YYYY-MM-DD)" }).transform((v, c) => {
    const d = parseReleaseDate(v);
    if (!d) c.addIssue({ code: "custom", message: "--date must be a day (YYYY-MM-DD) or an ISO time, in 2000..2100" });
    return d ?? new Date(0);
  }),
});

export function registerCatalogTitleCommands(catalog: Command, ctx: CliContext): void {
  catalog
    .command("list")
    .description("titles, drafts included, most recently changed first")
    .option("--search <words>", "title words (prefixes match)")
    .option("--status <status>", TITLE_STATUSES.join(" | "))
    .option("--kind <kind>", TITLE_KINDS.join(" | "))
    .option("--page <n>", "which page of --limit rows", "1")
    .option("--limit <n>", "how many", "50")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const o = parseArgs(listArgs, opts);
      const deps = await ctx.deps();
      const result = await listTitlesForAdmin(deps, { q: o.search || undefined, status: o.status, kind: o.kind, page: o.page, pageSize: o.limit });
      const rows = result.items.map((t) => ({
        id: String(t._id),
        slug: t.slug,
        title: t.title,
        kind: t.kind,
        year: t.year ?? null,
        status: t.status,
        maturity: t.maturity,
        // The projection keeps "source.tmdbId"; its type does not say so.
        tmdbId: (t as { source?: { tmdbId?: number | null } }).source?.tmdbId ?? null,
        updatedAt: t.updatedAt,
      }));
      printResult(ctx.output, Boolean(o.json), rows, () =>
        [formatTable(rows, ["id", "slug", "kind", "year", "status", "maturity"]), `(${result.total} in all, page ${result.page} of ${result.pages})`].join(
          "\n",
        ),
      );
    });

  catalog
    .command("show")
    .description("one title with every field, by id or slug")
    .argument("<title>", "title id or slug")
    .option("--json", "print JSON")
    .action(async (ref: string, opts: unknown) => {
      const o = parseArgs(jsonOnly, opts);
      const deps = await ctx.deps();
      const { searchKeys: _keys, ...title } = await getTitleByRef(deps, ref);
      printResult(ctx.output, Boolean(o.json), title, () =>
        [
          `${title.title} (${String(title._id)})`,
          `  slug:     ${title.slug}`,
          `  kind:     ${title.kind}${title.year ? ` · ${title.year}` : ""}`,
          `  status:   ${title.status}${title.releaseAt ? ` (release ${title.releaseAt.toISOString()})` : ""}`,
          `  maturity: ${title.maturity}`,
          `  genres:   ${title.genres.join(", ")}`,
          `  seasons:  ${title.seasons.length}`,
          `  tmdb:     ${title.source?.tmdbId ?? "-"}`,
          `  overview: ${title.overview}`,
        ].join("\n"),
      );
    });

  for (const [name, status] of [
    ["publish", "published"],
    ["unpublish", "draft"],
  ] as const) {
    catalog
      .command(name)
      .description(name === "publish" ? "make a title visible to subscribers" : "hide a title (back to draft)")
      .argument("<title>", "title id or slug")
      .option("--json", "print JSON")
      .action(async (ref: string, opts: unknown) => {
        const o = parseArgs(jsonOnly, opts);
        const deps = await ctx.deps();
        const title = await getTitleByRef(deps, ref);
        const { changed } = await setTitleStatus(deps, String(title._id), status, { actor: ctx.actor });
        printResult(ctx.output, Boolean(o.json), { id: String(title._id), slug: title.slug, status, changed }, () =>
          changed ? `${title.slug} is now ${status}.` : `${title.slug} is already ${status}; nothing changed.`,
        );
      });
  }

  catalog
    .command("announce")
    .description("announce a draft as Coming soon until its release date (or move the date); release-titles releases it then")
    .argument("<title>", "title id or slug")
    .requiredOption("--date <day>", "release day YYYY-MM-DD (midnight, service time) or an ISO time")
    .option("--json", "print JSON")
    .action(async (ref: string, opts: unknown) => {
      const o = parseArgs(announceArgs, opts);
      const deps = await ctx.deps();
      const title = await getTitleByRef(deps, ref);
      const { changed } = await announceTitle(deps, String(title._id), o.date, { actor: ctx.actor });
      const releaseAt = o.date.toISOString();
      printResult(ctx.output, Boolean(o.json), { id: String(title._id), slug: title.slug, status: "announced", releaseAt, changed }, () =>
        changed ? `${title.slug} is announced for ${releaseAt}.` : `${title.slug} is already announced for ${releaseAt}; nothing changed.`,
      );
    });
}
