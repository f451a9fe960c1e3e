// account_tokens: single-use secrets sent by mail (password reset, address verification), stored hashed.
import { Schema, Types, type Connection, type InferSchemaType } from "mongoose";

export const TOKEN_PURPOSES = ["password-reset", "verify-email", "change-email"] as const;

export const accountTokenSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true },
    purpose: { type: String, enum: TOKEN_PURPOSES, required: true },
    // SHA-256 of the secret in the link: a copy of this collection opens no account.
    tokenHash: { type: String, required: true, unique: true },
    // For verification and address changes: the address the link confirms (it stops working if the email changes).
    email: { type: String, default: null },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
accountTokenSchema.index({ userId: 1, purpose: 1 });

export type AccountToken = InferSchemaType<typeof accountTokenSchema>;

export function registerAccountTokenModel(conn: Connection) {
  return conn.model("AccountToken", accountTokenSchema, "account_tokens");
}
