// Reports every write to a model's documents, with the owners it touched, to the listener the
// connection carries (set in deps.ts: the state caches set new version tokens). The owner
// is a field of the document (`_id` for users, `profileId` for list entries, ...). Query writes
// whose filter names one owner report it; any other filter reports null ("maybe any owner").
import type { Connection, Schema } from "mongoose";

export type WriteListener = (model: string, owners: string[] | null) => Promise<void>;

const LISTENER = Symbol("write listener");
type ListeningConnection = Connection & { [LISTENER]?: WriteListener };

/** The connection owns its listener: the hooks below find it on the connection that wrote. */
export function setWriteListener(conn: Connection, listener: WriteListener): void {
  (conn as ListeningConnection)[LISTENER] = listener;
}

const listenerOf = (conn: Connection) => (conn as ListeningConnection)[LISTENER];

const QUERY_WRITES = ["updateOne", "updateMany", "replaceOne", "findOneAndUpdate", "findOneAndReplace", "findOneAndDelete", "deleteOne", "deleteMany"] as const;

function ownerOf(value: unknown): string[] | null {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object" && "toHexString" in value) return [String(value)];
  return null;
}

export function reportWrites(schema: Schema, model: string, ownerField = "_id"): void {
  for (const op of QUERY_WRITES) {
    schema.post(op, { document: false, query: true }, async function (this: { model: { db: Connection }; getFilter(): Record<string, unknown> }) {
      await listenerOf(this.model.db)?.(model, ownerOf(this.getFilter()[ownerField]));
    });
  }
  schema.post(["save", "deleteOne"], { document: true, query: false }, async function (this: { db: Connection; get(path: string): unknown }) {
    await listenerOf(this.db)?.(model, ownerOf(this.get(ownerField)));
  });
  schema.post("insertMany", async function (this: { db: Connection }, docs: unknown) {
    const owners = (docs as { get(path: string): unknown }[]).map((d) => ownerOf(d.get(ownerField)));
    await listenerOf(this.db)?.(model, owners.includes(null) ? null : (owners.flat() as string[]));
  });
}
