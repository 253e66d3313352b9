/** Reusable pieces of a training loop: metrics, progress, metrics log, checkpoints, run folders, plots. */
export { LossAccumulator, secondsSince, parseEpochMetrics, type EpochMetrics } from "./metrics.js";
export { Progress, progressMode, formatCount, formatDuration, jsonLine, type ProgressMode, type ProgressOptions, type TextSink } from "./progress.js";
export { formatMetricsLog, writeMetricsLog, readMetricsLog } from "./metrics-log.js";
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  OPTIM_PREFIX,
  writeCheckpoint,
  readCheckpoint,
  parseCheckpointMeta,
  checkpointPaths,
  sha256Hex,
  type CheckpointMeta,
  type CheckpointInput,
  type CheckpointRng,
  type LoadedCheckpoint,
  type OptimizerMeta,
  type StoredTensor,
} from "./checkpoint.js";
export { RunDir, type CheckpointRef } from "./run-dir.js";
export { perplexityPlotOptions, writePerplexityPlots } from "./plot.js";
