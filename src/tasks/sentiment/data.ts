/**
 * The UCI sentiment-labelled sentences from disk (the project ships them in
 * data/sentiment-labelled-sentences), and the task's data prepared for training: the fixed split,
 * the training vocabulary, padded-sequence datasets for the recurrent models and bag-of-words
 * rows for the logistic regression.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SequenceDataset, TensorDataset } from "../../data/dataset.js";
import type { Vocab } from "../../data/text/vocab.js";
import { readFileChecked } from "../../io/atomic.js";
import { Tensor } from "../../tensor/tensor.js";
import { numberField, stringField } from "../seqmnist/config.js";
import type { TaskConfig } from "../task.js";
import { SENTIMENT_SOURCES, bagOfWords, buildVocab, encodeSentence, parseLabelled, splitSentences, type Sentence, type SentimentSplit } from "./text.js";

/** The shipped copy of the three files and their readme. */
export const SENTIMENT_DIR = fileURLToPath(new URL("../../../data/sentiment-labelled-sentences", import.meta.url));

/** Largest file read: the shipped ones are under 90 kB. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Every sentence of the three files in `dir` (the first `perSource` of each when given). */
export function loadSentences(dir: string, perSource = 0): Sentence[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`sentiment: the data folder ${dir} does not exist; give --data a folder holding ${SENTIMENT_SOURCES.map((s) => `${s}_labelled.txt`).join(", ")}`);
  const out: Sentence[] = [];
  for (const source of SENTIMENT_SOURCES) {
    const path = join(dir, `${source}_labelled.txt`);
    if (!existsSync(path)) throw new Error(`sentiment: ${dir} has no ${source}_labelled.txt; give --data a folder holding the three UCI files`);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(readFileChecked(path, "sentiment data", { maxBytes: MAX_FILE_BYTES }));
    const sentences = parseLabelled(text, source, path);
    if (perSource > sentences.length) throw new Error(`sentiment: asked for ${perSource} sentences per file but ${path} holds ${sentences.length}`);
    out.push(...(perSource > 0 ? sentences.slice(0, perSource) : sentences));
  }
  return out;
}

/** The task's data for a config: split, vocabulary, and the three parts as datasets. */
export interface SentimentData {
  split: SentimentSplit;
  vocab: Vocab;
  maxTokens: number;
  /** Token ids (steps, 1) and label, for the recurrent models. */
  sequences: { train: SequenceDataset; val: SequenceDataset; test: SequenceDataset };
  /** Binary bag of words (N, V) and label, for the logistic regression. */
  bags: { train: TensorDataset; val: TensorDataset; test: TensorDataset };
}

/** Token ids of `sentences` as a SequenceDataset of (steps, 1) rows with their labels. */
export function sequenceDataset(vocab: Vocab, sentences: readonly Sentence[], maxTokens: number): SequenceDataset {
  return new SequenceDataset(
    sentences.map((s) => Float32Array.from(encodeSentence(vocab, s.text, maxTokens))),
    sentences.map((s) => Float32Array.of(s.label)),
    1,
  );
}

function bagDataset(vocab: Vocab, sentences: readonly Sentence[], maxTokens: number): TensorDataset {
  const x = new Tensor(bagOfWords(vocab, sentences, maxTokens), [sentences.length, vocab.length]);
  return new TensorDataset(x, new Tensor(Float32Array.from(sentences, (s) => s.label), [sentences.length]));
}

/** Reads and prepares the data a (checked) config names. */
export function loadSentimentData(config: TaskConfig): SentimentData {
  const sentences = loadSentences(stringField(config, "dataDir"), numberField(config, "perSource"));
  const split = splitSentences(sentences, numberField(config, "splitSeed"));
  if (split.val.length === 0 || split.test.length === 0) throw new Error(`sentiment: ${sentences.length} sentences leave no validation or test sentence; give --per-source 10 or more`);
  const vocab = buildVocab(split.train, numberField(config, "minFreq"));
  const maxTokens = numberField(config, "maxTokens");
  const seq = (s: readonly Sentence[]): SequenceDataset => sequenceDataset(vocab, s, maxTokens);
  const bag = (s: readonly Sentence[]): TensorDataset => bagDataset(vocab, s, maxTokens);
  return {
    split,
    vocab,
    maxTokens,
    sequences: { train: seq(split.train), val: seq(split.val), test: seq(split.test) },
    bags: { train: bag(split.train), val: bag(split.val), test: bag(split.test) },
  };
}
