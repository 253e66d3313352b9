/**
 * Sequential image classification (`recurrent train seqmnist`): Fashion-MNIST read row by row,
 * 28 steps of 28 pixels, by an LSTM, GRU or RNN that classifies from its last output.
 */
import type { TaskDefinition } from "../task.js";
import { predictSeqMnist } from "./predict.js";
import { SEQMNIST_SCHEMA } from "./schema.js";
import { evaluateSeqMnist, trainSeqMnist } from "./train.js";

/** The seqmnist task for the CLI: schema, train, evaluate, predict (input: an IDX images file). */
export const SEQMNIST_TASK: TaskDefinition = {
  schema: SEQMNIST_SCHEMA,
  train: (config, ctx) => trainSeqMnist(config, ctx),
  evaluate: (runDir) => evaluateSeqMnist(runDir),
  predict: (runDir, input) => predictSeqMnist(runDir, input),
};

export * from "./browser.js";
export { loadFashionMnist, FASHION_SLICE_DIR, type FashionSplit } from "./data.js";
export { trainClassifier, scoreClassifier, classifierStep, type Classifier, type ClassifierRunOptions } from "./run.js";
export { trainSeqMnist, evaluateSeqMnist, loadSeqMnistModel, buildSeqClassifier } from "./train.js";
export { predictSeqMnist, PREDICT_MAX_IMAGES, type ImagePrediction } from "./predict.js";
export { openRunFolder, readRunConfig as readTaskRunConfig } from "../run-folder.js";
