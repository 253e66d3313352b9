/** The character language model of d2l's recurrent-network chapter: model, training, generation, run folders. */
export * from "./browser.js";
export { trainCharLM, configDifference, CHARLM_PROGRESS, type TrainCharLMOptions, type TrainCharLMResult } from "./train.js";
export {
  loadCharLM,
  buildModel,
  loadWeights,
  readRunConfig,
  writeRunConfig,
  readRunVocab,
  writeRunVocab,
  type LoadedCharLM,
} from "./run-files.js";
export { RunDir, type CheckpointRef } from "./run-dir.js";
