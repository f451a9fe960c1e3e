// netflix-admin catalog ...: seed the demo catalog, import from TMDB, warm the caches.
import type { Command } from "commander";
import { z } from "zod";
import { importByQuery, importFromTmdb, type ImportResult } from "../../services/catalog/index.js";
import { seedDemoCatalog } from "../../services/catalog/index.js";
import { warmCatalogCache } from "../../services/catalog/index.js";
import { jsonOnly, parseArgs } from "../args.js";
import { CliUsageError, type CliContext } from "../context.js";
import { formatTable, printResult } from "../output.js";
import { registerCatalogTitleCommands } from "./catalog-titles.js";

const importArgs = z.strictObject({
  tmdbId: z.coerce.number().int().positive().optional(),
  query: z.string().trim().min(1).max(200).optional(),
  tv: z.boolean().optional(),
  limit: z.coerce.number().int().min(1).max(20).default(1),
  publish: z.boolean().optional(),
  json: z.boolean().optional(),
});

/** A one-line progress bar on a terminal (stderr); nothing when output is piped or logged. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = -1;
  return {
    update(done: number, total: number) {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      if (pct === last && done !== total) return;
      last = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${pct}% (${done}/${total})`);
    },
    done: () => stream.write("\n"),
  };
}

export function registerCatalogCommands(program: Command, ctx: CliContext): void {
  const catalog = program.command("catalog").description("manage the catalog: titles, publishing, demo seed, TMDB import, cache warming");
  registerCatalogTitleCommands(catalog, ctx);

  catalog
    .command("seed")
    .description("load the bundled demo catalog (idempotent: refreshes facts, keeps each title's status)")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const args = parseArgs(jsonOnly, opts);
      const deps = await ctx.deps();
      const bar = progressBar("seeding");
      const summary = await seedDemoCatalog(deps, { by: { actor: ctx.actor }, onProgress: bar.update });
      bar.done();
      printResult(
        ctx.output,
        Boolean(args.json),
        summary,
        () => `Demo catalog: ${summary.total} titles (${summary.created} new, ${summary.updated} refreshed).`,
      );
    });

  catalog
    .command("import")
    .description("import titles from TMDB as drafts (needs TMDB_API_KEY or TMDB_READ_TOKEN)")
    .option("--tmdb-id <id>", "TMDB id of a film (or a series with --tv)")
    .option("--tv", "the id is a TV series")
    .option("--query <text>", "search TMDB and import the best matches")
    .option("--limit <n>", "how many search matches to import", "1")
    .option("--publish", "publish right away instead of leaving drafts")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const args = parseArgs(importArgs, opts);
      if (Boolean(args.tmdbId) === Boolean(args.query)) throw new CliUsageError("give exactly one of --tmdb-id or --query");
      const deps = await ctx.deps();
      const by = { actor: ctx.actor };
      let results: ImportResult[];
      if (args.tmdbId) {
        results = [await importFromTmdb(deps, { tmdbId: args.tmdbId, kind: args.tv ? "tv" : "movie" }, { publish: args.publish, by })];
      } else {
        const bar = progressBar("importing");
        results = await importByQuery(deps, args.query!, { limit: args.limit, publish: args.publish, by, onProgress: bar.update });
        bar.done();
      }
      printResult(ctx.output, Boolean(args.json), results, () =>
        results.length
          ? formatTable(
              results.map((r) => ({ ...r, status: r.created ? "new" : "refreshed" })),
              ["tmdbId", "kind", "slug", "title", "status"],
            )
          : "No films or series matched.",
      );
    });

  catalog
    .command("warm-cache")
    .description("fill the Redis caches for rows, genre pages, title details (and TMDB responses)")
    .option("--json", "print JSON")
    .action(async (opts: unknown) => {
      const args = parseArgs(jsonOnly, opts);
      const deps = await ctx.deps();
      const bar = progressBar("warming");
      const summary = await warmCatalogCache(deps, { onProgress: bar.update });
      bar.done();
      printResult(ctx.output, Boolean(args.json), summary, () =>
        [
          `Warmed ${summary.rows} row sets, ${summary.genrePages} genre pages, ${summary.titles} titles.`,
          summary.tmdbSkipped ? "TMDB: not configured (set TMDB_API_KEY or TMDB_READ_TOKEN); skipped." : `TMDB: ${summary.tmdb} responses refreshed.`,
          summary.failed ? `${summary.failed} steps failed (see the log).` : "",
        ]
          .filter(Boolean)
          .join("\n"),
      );
    });
}
