/**
 * The training loop's parts that need no file system (exported from the main entry, so that a
 * browser bundle gets them): fit/compile/evaluate/predict, metrics, callbacks (checkpoints
 * included: they write through a RunStore), schedules' callback, progress, the checkpoint format,
 * the store interface and the in-memory store.
 */
export { fit, compile, evaluate, predict as predictModel, type CompileOptions, type CompiledFitOptions, type CompiledModel, type EvaluateOptions } from "./api.js";
export {
  fitLoop,
  defaultStep,
  evaluateBatches,
  epochBatches,
  type StepContext,
  type StepResult,
  type StepFn,
  type LossFn,
  type DataSource,
  type DataInput,
  type ForwardModule,
  type LoopOptions,
  type FitOptions,
  type History,
} from "./fit.js";
export { nextMacrotask } from "./yield.js";
export { LossMetric, Perplexity, Accuracy, MAE, MSE, RMSE, type Metric, type StepRecord } from "./metric.js";
export { secondsSince, parseEpochLogs, type EpochLogs } from "./metrics.js";
export { formatMetricsLog, parseMetricsLog } from "./metrics-text.js";
export { metricPlotOptions, renderMetricPlot } from "./plot.js";
export { Progress, progressMode, formatCount, formatDuration, jsonLine, type ProgressMode, type ProgressOptions, type ProgressColumn, type TextSink } from "./progress.js";
export type { Callback, TrainLoop, BatchLogs, TrainEnd } from "./callbacks/callback.js";
export { ProgressCallback, progressColumns } from "./callbacks/progress.js";
export { EarlyStopping, type EarlyStoppingOptions } from "./callbacks/early-stopping.js";
export { LearningRateScheduler } from "./callbacks/lr-scheduler.js";
export { MetricsLog, type MetricsLogOptions } from "./callbacks/metrics-log.js";
export { Plots, type PlotsOptions } from "./callbacks/plots.js";
export { readText, readJson, type RunStore } from "./store/store.js";
export { MemoryStore } from "./store/memory-store.js";
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  OPTIM_PREFIX,
  writeCheckpointTo,
  readCheckpointFrom,
  encodeCheckpoint,
  decodeCheckpoint,
  parseCheckpointMeta,
  sha256Hex,
  type CheckpointMeta,
  type CheckpointInput,
  type CheckpointRng,
  type EncodedCheckpoint,
  type LoadedCheckpoint,
  type OptimizerMeta,
  type StoredTensor,
} from "./checkpoint-format.js";
export { Checkpoint, type CheckpointOptions } from "./callbacks/checkpoint.js";
export { latestCheckpoint, latestCheckpointRef, listCheckpoints, pruneCheckpoints, periodicStem, type StoredCheckpointRef } from "./store/checkpoints.js";
