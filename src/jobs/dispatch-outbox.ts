// dispatch-outbox (every 10 s): delivers due outbox events to their consumers.
import type { Deps } from "../lib/deps.js";
import { dispatchOutbox } from "../services/outbox.js";
import { defaultConsumers } from "../services/outbox-consumers.js";

export async function dispatchOutboxTask(deps: Deps) {
  return dispatchOutbox(deps, defaultConsumers());
}
