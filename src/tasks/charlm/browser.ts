/** The parts of the character language model that need no file system: config, model, one epoch, generation. */
export {
  CHARLM_DEFAULTS,
  CELL_KINDS,
  CELL_LABELS,
  OPTIMIZER_KINDS,
  SAMPLER_KINDS,
  defaultLr,
  resolveCharLMConfig,
  parseCharLMConfig,
  configToJson,
  describeModel,
  type CharLMConfig,
  type CharLMConfigInput,
  type CellKind,
  type OptimizerKind,
} from "./config.js";
export { RNNLM, timeMajor, detachState, type RNNLMOptions, type RNNLMState } from "./model.js";
export { trainEpoch, type TrainEpochOptions } from "./epoch.js";
export { predict, chooseToken, type PredictOptions, type Prediction } from "./generate.js";
export { resolveCharLMConfigFrom } from "./config.js";
export { LossAccumulator, parseEpochMetrics, toEpochMetrics, type EpochMetrics } from "./metrics.js";
export { charLMStep } from "./step.js";
export { CHARLM_SCHEMA } from "./schema.js";
export { vocabDigest, checkVocabulary, buildModel, charLMParameterCount, loadWeights } from "./weights.js";
export { charLMLoopOptions } from "./loop.js";
