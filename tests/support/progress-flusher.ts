// A stand-in web process for fault tests: connects with the environment's config and runs one
// background-style (spread out) progress flush, so a test can kill it in the middle.
import { loadConfig } from "../../src/config.js";
import { createDeps } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";

const deps = await createDeps(loadConfig(), { name: "flusher", logger: createLogger("silent") });
await deps.progress.flush(500, { spread: true });
process.exit(0);
