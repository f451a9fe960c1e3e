// Runs the web server and the worker side by side (scripts/up); Ctrl-C or either one exiting stops both.
//   tsx tools/web-and-worker.ts            -> node dist/src/server.js + node dist/src/worker.js
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const processes: Record<string, string> = { web: "dist/src/server.js", worker: "dist/src/worker.js" };

const children = new Map<string, ChildProcess>();
let stopping = false;
let exitCode = 0;

function stopAll(signal: NodeJS.Signals = "SIGTERM") {
  stopping = true;
  for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

for (const [name, entry] of Object.entries(processes)) {
  const child = spawn(process.execPath, [path.join(ROOT, entry)], { stdio: "inherit", env: process.env });
  children.set(name, child);
  child.once("exit", (code, signal) => {
    children.delete(name);
    if (!stopping) {
      // One process died on its own: take the other down too rather than serve half a system.
      console.error(`${name} exited (${signal ?? code}); stopping the rest`);
      exitCode = code || 1;
      stopAll();
    }
    if (children.size === 0) process.exit(exitCode);
  });
}

process.on("SIGINT", () => stopAll("SIGTERM"));
process.on("SIGTERM", () => stopAll("SIGTERM"));
