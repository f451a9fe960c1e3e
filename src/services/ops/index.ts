// The ops domain's public entry.
export * from "./audit-query.js";
export * from "./audit.js";
export * from "./dashboard.js";
export * from "./jobs.js";
