// flush-progress (every 30 s): writes buffered progress saves to the database. Web processes
// flush their own saves within a second; this catches those of a process that stopped first.
import type { Deps } from "../deps.js";

export async function flushProgressTask(deps: Deps) {
  return { written: await deps.progress.flushAll() };
}
