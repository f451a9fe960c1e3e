// dispatch-outbox (every 10 s): delivers due outbox events to their consumers.
import type { Deps } from "../deps.js";
import { dispatchOutbox } from "../services/notifications/index.js";
import { defaultConsumers } from "../services/notifications/index.js";

export async function dispatchOutboxTask(deps: Deps) {
  return dispatchOutbox(deps, defaultConsumers());
}
