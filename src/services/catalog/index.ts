// The catalog domain's public entry.
export * from "./admin-list.js";
export * from "./art.js";
export * from "./browse-rows.js";
export * from "./catalog-index.js";
export * from "./genres.js";
export * from "./import.js";
export * from "./present.js";
export * from "./rows.js";
export * from "./search.js";
export * from "./seed.js";
export * from "./stats.js";
export * from "./title-admin.js";
export * from "./titles.js";
export * from "./warm.js";
export { TITLE_KINDS, TITLE_STATUSES } from "../../models/title.js";
export * from "./media/pipeline.js";
export { probeMedia, type ProbeResult } from "./media/probe.js";
export { LADDER, renditionsFor, transcode } from "./media/transcode.js";
