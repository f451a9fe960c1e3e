// The notifications domain's public entry.
export * from "./consumers.js";
export * from "./email.js";
export * from "./inbox.js";
export * from "./outbox.js";
