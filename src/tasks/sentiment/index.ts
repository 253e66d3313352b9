/**
 * Sentence classification (`recurrent train sentiment`): the UCI sentiment-labelled sentences,
 * LSTM, GRU and bidirectional LSTM over variable-length sentences, against the majority class
 * and a bag-of-words logistic regression, each over several seeds.
 */
import type { TaskDefinition } from "../task.js";
import { inspectSentiment, predictSentiment } from "./predict.js";
import { SENTIMENT_SCHEMA } from "./schema.js";
import { evaluateSentiment, trainSentiment } from "./train.js";

/** The sentiment task for the CLI: schema, train, evaluate, predict (input: a sentence), inspect. */
export const SENTIMENT_TASK: TaskDefinition = {
  schema: SENTIMENT_SCHEMA,
  train: (config, ctx) => trainSentiment(config, ctx),
  evaluate: (runDir) => evaluateSentiment(runDir),
  predict: (runDir, input) => predictSentiment(runDir, input),
  inspect: (runDir, text) => inspectSentiment(runDir, text),
  predictInput: "a sentence to classify (the run's best recurrent model by validation accuracy)",
  progress: { columns: [{ key: "loss", label: "loss", digits: 4 }, { key: "accuracy", label: "acc", digits: 4 }, { key: "val_accuracy", label: "val acc", digits: 4 }], rate: { unit: "samples", label: "sent" } },
};

export * from "./browser.js";
export { loadSentences, loadSentimentData, sequenceDataset, SENTIMENT_DIR, type SentimentData } from "./data.js";
export { trainSentiment, evaluateSentiment, buildSentimentModel, sentimentStep, sequenceLoader, loadSentimentModel, openSentimentRun, summaryNumbers } from "./train.js";
export { predictSentiment, inspectSentiment, MAX_TEXT_CHARS, type SentimentPrediction } from "./predict.js";
