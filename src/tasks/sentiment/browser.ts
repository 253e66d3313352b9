/** The browser-safe parts of the sentiment task: text handling, model, metric, option schema, results. */
export { SENTIMENT_SCHEMA, parseModels, MAX_SEEDS } from "./schema.js";
export { SentimentClassifier, SENTIMENT_MODELS, type SentimentModelKind, type SentimentClassifierOptions } from "./model.js";
export { BinaryF1, f1Score } from "./f1.js";
export { SENTIMENT_SOURCES, SENTIMENT_LABELS, PAD, parseLabelled, tokenizeSentence, splitSentences, buildVocab, encodeSentence, bagOfWords, type Sentence, type SentimentSource, type SentimentSplit, type SplitFractions } from "./text.js";
export { meanStd, majorityBaseline, summarizeResults, type SentimentResults, type JobResult, type ModelSummary, type MeanStd, type PartScores } from "./results.js";
