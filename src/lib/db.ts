// MongoDB connection through mongoose: safe query defaults, server detection, index creation.
import mongoose from "mongoose";
import type { Logger } from "./logger.js";

// Operator objects in filters are escaped ({ $ne: "" } becomes a literal) and unknown filter
// paths are dropped; both guard against NoSQL injection from request input.
mongoose.set("sanitizeFilter", true);
mongoose.set("strictQuery", true);

export type ServerKind = { kind: "mongodb" | "ferretdb"; version: string };

export async function connectDb(uri: string, logger: Logger): Promise<mongoose.Connection> {
  const conn = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5000,
    // Keep failures quick so pages answer 503 rather than hang while the database is away.
    socketTimeoutMS: 10_000,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
  });
  await conn.asPromise();
  const server = await detectServer(conn);
  logger.info({ server }, `database: ${server.kind} ${server.version}`);
  return conn;
}

export async function detectServer(conn: mongoose.Connection): Promise<ServerKind> {
  const info = (await conn.db!.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
  if (info.ferretdbVersion) return { kind: "ferretdb", version: info.ferretdbVersion };
  return { kind: "mongodb", version: info.version ?? "unknown" };
}

/** Creates every model's declared indexes; idempotent on MongoDB and FerretDB alike. */
export async function syncIndexes(conn: mongoose.Connection): Promise<void> {
  for (const model of Object.values(conn.models)) {
    await model.createCollection().catch((err: { code?: number }) => {
      if (err.code !== 48) throw err; // 48: NamespaceExists
    });
    await model.createIndexes();
  }
}

export async function pingDb(conn: mongoose.Connection, timeoutMs: number): Promise<void> {
  if (conn.readyState !== 1 || !conn.db) throw new Error("database not connected");
  await withTimeout(conn.db.admin().command({ ping: 1 }), timeoutMs, "database ping");
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

/**
 * Marks an operator object we wrote ourselves as safe: sanitizeFilter escapes every other
 * `$`-key in filters, which is what stops request input from smuggling operators in.
 */
export function op<const T extends object>(filter: T): T {
  return mongoose.trusted<T>(filter);
}
