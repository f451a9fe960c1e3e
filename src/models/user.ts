// users: accounts with their role, status, language and subscription state.
import { Schema, type Connection, type InferSchemaType, type HydratedDocument } from "mongoose";
import { reportWrites } from "./write-hooks.js";

export const ROLES = ["user", "admin"] as const;
export const USER_STATUSES = ["active", "suspended", "deleted"] as const;
export const SUBSCRIPTION_STATUSES = ["none", "pending", "active", "expired", "canceled"] as const;

const subscriptionSchema = new Schema(
  {
    plan: { type: String, default: null },
    status: { type: String, enum: SUBSCRIPTION_STATUSES, default: "none" },
    currentPeriodEnd: { type: Date, default: null },
    activatedAt: { type: Date, default: null },
    // Billing: the plan chosen for the next period, cancel at period end, and the payments
    // already applied (so re-applying an approval is a no-op).
    nextPlan: { type: String, default: null },
    nextPlanFrom: { type: Date, default: null },
    cancelAtPeriodEnd: { type: Boolean, default: false },
    appliedPayments: { type: [String], default: [] },
  },
  { _id: false },
);

// Two-factor sign-in (TOTP): the key is stored encrypted (lib/secret-box) and never shown again
// after enrolment; recovery codes are stored as keyed hashes and each works once.
const twoFactorSchema = new Schema(
  {
    secret: { type: String, default: null },
    // The key being enrolled: it becomes `secret` once a code from it has been checked.
    pendingSecret: { type: String, default: null },
    enabledAt: { type: Date, default: null },
    // The last 30-second step whose code was accepted: the same code cannot be used twice.
    lastTimeStep: { type: Number, default: null },
    recoveryCodes: { type: [String], default: [] },
  },
  { _id: false },
);

export const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, unique: true },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true, trim: true },
    role: { type: String, enum: ROLES, default: "user", index: true },
    status: { type: String, enum: USER_STATUSES, default: "active", index: true },
    locale: { type: String, enum: ["en", "vi"], default: "en" },
    // Set when the owner opened the verification link mailed to this address.
    emailVerifiedAt: { type: Date, default: null },
    subscription: { type: subscriptionSchema, default: () => ({}) },
    twoFactor: { type: twoFactorSchema, default: () => ({}) },
    // Browsers this account has signed in from (hashes of a long-lived cookie), newest last.
    knownDevices: { type: [String], default: [] },
    lastSignInAt: { type: Date, default: null },
  },
  { timestamps: true },
);
userSchema.index({ createdAt: -1 });
// Signed-in requests read the user from a cache that these reports keep current.
reportWrites(userSchema, "User");

export type User = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<User>;

export function registerUserModel(conn: Connection) {
  return conn.model("User", userSchema, "users");
}
