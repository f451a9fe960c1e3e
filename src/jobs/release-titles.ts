// release-titles (every 5 min): announced titles whose release date has come become watchable,
// and the profiles that asked "Remind me" are told (once each, through the outbox).
import type { Deps } from "../deps.js";
import { releaseTitlesAndRemind } from "../services/watching/index.js";

export async function releaseTitlesTask(deps: Deps, ctx?: { signal?: AbortSignal }) {
  return releaseTitlesAndRemind(deps, { signal: ctx?.signal });
}
