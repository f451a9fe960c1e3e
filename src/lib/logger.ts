// The process logger: JSON lines through pino; request loggers are children carrying the request id.
import { pino, type Logger } from "pino";

export type { Logger };

/** Servers log to stdout; the CLI logs to stderr so its stdout stays the command's output (tables, --json). */
export function createLogger(level: string, name = "web", to: "stdout" | "stderr" = "stdout"): Logger {
  const options = { level, name, base: { pid: process.pid }, redact: ["req.headers.cookie", "req.headers.authorization", "password"] };
  return to === "stdout" ? pino(options) : pino(options, pino.destination({ dest: 2, sync: true }));
}
