// The watching domain's public entry.
export * from "./browse-page.js";
export * from "./my-list.js";
export * from "./playback.js";
export * from "./progress-buffer.js";
export * from "./progress-rows.js";
export * from "./progress.js";
export * from "./ratings.js";
export * from "./recommendations.js";
export * from "./reminders.js";
export * from "./screens.js";
