// dispatch-outbox (every 10 s): delivers due outbox events to their consumers.
import type { Deps } from "../deps.js";
import type { JobContext } from "../services/ops/index.js";
import { dispatchOutbox } from "../services/notifications/index.js";
import { defaultConsumers } from "../services/notifications/index.js";

export async function dispatchOutboxTask(deps: Deps, ctx?: JobContext) {
  return dispatchOutbox(deps, defaultConsumers(), { signal: ctx?.signal });
}
