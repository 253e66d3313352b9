/** The training loop with its Node parts: checkpoints, the file store, run folders, metrics log files. */
export * from "./browser.js";
export { writeMetricsLog, readMetricsLog } from "./metrics-log.js";
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  OPTIM_PREFIX,
  writeCheckpoint,
  writeCheckpointTo,
  readCheckpoint,
  readCheckpointFrom,
  encodeCheckpoint,
  decodeCheckpoint,
  parseCheckpointMeta,
  checkpointPaths,
  sha256Hex,
  type CheckpointMeta,
  type CheckpointInput,
  type CheckpointRng,
  type EncodedCheckpoint,
  type LoadedCheckpoint,
  type OptimizerMeta,
  type StoredTensor,
} from "./checkpoint.js";
export { Checkpoint, type CheckpointOptions } from "./callbacks/checkpoint.js";
export { FileStore } from "./store/file-store.js";
export { latestCheckpoint, latestCheckpointRef, listCheckpoints, pruneCheckpoints, periodicStem, type StoredCheckpointRef } from "./store/checkpoints.js";
