/**
 * `recurrent train sentiment`: its options, declared once (see tasks/schema.ts). The default
 * data folder is filled in by the Node side (data.ts); this file stays browser-safe.
 */
import type { TaskSchema } from "../schema.js";
import { SENTIMENT_MODELS } from "./model.js";

/** Largest number of seeds per model. */
export const MAX_SEEDS = 20;

export const SENTIMENT_SCHEMA: TaskSchema = {
  task: "sentiment",
  summary: "classify the UCI sentiment-labelled sentences (Amazon, IMDb, Yelp) with LSTM, GRU and BiLSTM",
  description:
    "Sentence classification (many-to-one): the 3,000 UCI sentiment-labelled sentences, tokenised\n" +
    "(lowercase words and punctuation), split 80/10/10 train/validation/test per source file and\n" +
    "label with a fixed seed. Each model (embedding, recurrent layer fed the sentence lengths, linear\n" +
    "head) is trained once per seed; accuracy and F1 of the positive class on the test part are\n" +
    "reported as mean and standard deviation over the seeds, next to two baselines trained in the\n" +
    "same run: the majority class and a bag-of-words logistic regression (one Linear layer).",
  options: [
    { name: "dataDir", flag: "--data", type: "string", doc: "folder of the three *_labelled.txt files", defaultDoc: "the shipped data/sentiment-labelled-sentences", resumable: true, group: "Data" },
    { name: "perSource", flag: "--per-source", type: "integer", min: 0, default: 0, doc: "sentences read from each file, the first ones (0: all)", resumable: false, group: "Data" },
    { name: "splitSeed", flag: "--split-seed", type: "integer", min: 0, default: 0, doc: "seed of the train/validation/test split", resumable: false, group: "Data" },
    { name: "minFreq", flag: "--min-freq", type: "integer", min: 1, default: 2, doc: "tokens seen fewer times in training are <unk>", resumable: false, group: "Data" },
    { name: "maxTokens", flag: "--max-tokens", type: "integer", min: 1, max: 1000, default: 100, doc: "tokens kept per sentence (the longest has 85)", resumable: false, group: "Data" },
    { name: "models", flag: "--models", type: "string", default: SENTIMENT_MODELS.join(","), doc: `recurrent models to train, comma-separated (${SENTIMENT_MODELS.join(", ")})`, resumable: false, group: "Model" },
    { name: "embedSize", flag: "--embed", type: "integer", min: 1, max: 1024, default: 64, doc: "embedding width", resumable: false, group: "Model" },
    { name: "hiddenSize", flag: "--hidden", type: "integer", min: 1, max: 1024, default: 64, doc: "hidden units per direction", resumable: false, group: "Model" },
    { name: "dropout", flag: "--dropout", type: "number", min: 0, default: 0.3, doc: "dropout on embeddings and final state, below 1", resumable: false, group: "Model" },
    { name: "seeds", flag: "--seeds", type: "integer", min: 1, max: MAX_SEEDS, default: 5, doc: "seeds per model (seed, seed+1, ...)", resumable: false, group: "Training" },
    { name: "seed", flag: "--seed", type: "integer", min: 0, default: 0, doc: "first seed of initialisation, dropout and shuffling", resumable: false, group: "Training" },
    { name: "epochs", flag: "--epochs", type: "integer", min: 1, default: 12, doc: "last epoch of each model", resumable: true, group: "Training" },
    { name: "batchSize", flag: "--batch-size", type: "integer", min: 1, default: 32, doc: "sentences per batch", resumable: false, group: "Training" },
    { name: "lr", flag: "--lr", type: "number", default: 0.003, doc: "Adam learning rate", resumable: false, group: "Training" },
    { name: "clip", flag: "--clip", type: "number", default: 5, doc: "largest global gradient norm", resumable: false, group: "Training" },
    { name: "checkpointEvery", flag: "--checkpoint-every", type: "integer", min: 1, default: 1, doc: "epochs between checkpoints", resumable: true, group: "Training" },
  ],
};

/** The models named by `--models`, checked: known names, no repeats, at least one. */
export function parseModels(text: string): typeof SENTIMENT_MODELS[number][] {
  const names = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (names.length === 0) throw new Error(`--models must name at least one of ${SENTIMENT_MODELS.join(", ")}, got ${JSON.stringify(text)}`);
  const out: typeof SENTIMENT_MODELS[number][] = [];
  for (const n of names) {
    const kind = SENTIMENT_MODELS.find((m) => m === n);
    if (kind === undefined) throw new Error(`--models: unknown model ${JSON.stringify(n)}; the models are ${SENTIMENT_MODELS.join(", ")}`);
    if (out.includes(kind)) throw new Error(`--models: ${kind} is named twice`);
    out.push(kind);
  }
  return out;
}
