// Small response helpers shared by the admin routes: CSV downloads, the audit actor.
import type { Response } from "express";

export async function streamCsv(res: Response, name: string, rows: AsyncGenerator<string>) {
  const day = new Date().toISOString().slice(0, 10);
  res.set({ "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}-${day}.csv"` });
  // A BOM so spreadsheet apps read the UTF-8 (Vietnamese names) correctly.
  res.write("\uFEFF");
  for await (const line of rows) {
    if (!res.write(line)) await new Promise((r) => res.once("drain", r));
  }
  res.end();
}

/** "user:<admin id>": the audit actor for changes made on admin pages. */
export const adminActor = (req: { user?: { id: string } }) => `user:${req.user!.id}`;
