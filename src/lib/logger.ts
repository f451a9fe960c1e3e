// The process logger: JSON lines through pino; request loggers are children carrying the request id.
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, name = "web"): Logger {
  return pino({ level, name, base: { pid: process.pid }, redact: ["req.headers.cookie", "req.headers.authorization", "password"] });
}
