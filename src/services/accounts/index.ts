// The accounts domain's public entry.
export * from "./account.js";
export * from "./admin-users.js";
export * from "./current-user.js";
export * from "./passwords.js";
export * from "./profiles.js";
export * from "./sessions.js";
export * from "./users.js";
export { AVATARS } from "../../models/profile.js";
export { SUBSCRIPTION_STATUSES, USER_STATUSES } from "../../models/user.js";
export * from "./password-reset.js";
export * from "./email-verification.js";
export { purgeExpiredTokens } from "./account-tokens.js";
export * from "./two-factor.js";
export * from "./known-devices.js";
export * from "./email-change.js";
