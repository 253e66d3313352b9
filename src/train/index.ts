/** The training loop with its Node parts: checkpoints, the file store, run folders, metrics log files. */
export * from "./browser.js";
export { writeMetricsLog, readMetricsLog } from "./metrics-log.js";
// The checkpoint format, the Checkpoint callback and the store's checkpoint helpers come with
// browser.js; these are the file-system reader and writer.
export { writeCheckpoint, readCheckpoint, checkpointPaths } from "./checkpoint.js";
export { FileStore } from "./store/file-store.js";
