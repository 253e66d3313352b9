/**
 * The sentiment data as text, browser-safe: parsing the UCI files' `sentence<TAB>label` lines,
 * the tokeniser, the fixed stratified split, the vocabulary and the encodings the models read.
 *
 * Tokenising rule: the sentence is lowercased (Unicode-aware) and cut into words, each a run of
 * letters and digits that may hold inner apostrophes ("don't", "it's" stay one token), and
 * punctuation, each other non-space character on its own ("!!" is two tokens "!", "!").
 * Whitespace separates and is dropped.
 */
import { Vocab } from "../../data/text/vocab.js";
import { MAX_ELEMENTS } from "../../tensor/shape.js";
import { Generator } from "../../tensor/random.js";

/** The three source files, by the stem of their name (`<stem>_labelled.txt`). */
export const SENTIMENT_SOURCES = ["amazon_cells", "imdb", "yelp"] as const;
export type SentimentSource = (typeof SENTIMENT_SOURCES)[number];

/** The class names by label: 0 negative, 1 positive (the F1 score is the positive class's). */
export const SENTIMENT_LABELS: readonly string[] = ["negative", "positive"];

/** The padding token; `<unk>` is the Vocab's index 0, so padding is index 1. */
export const PAD = "<pad>";

export interface Sentence {
  text: string;
  label: 0 | 1;
  source: SentimentSource;
}

/** Longest line accepted, in characters: the longest in the data is about 480. */
export const MAX_LINE_CHARS = 5000;

/**
 * The sentences of one file's text: one `sentence<TAB>label` per line, label 0 or 1. The
 * sentence is trimmed (some imdb lines end with two spaces before the tab); empty lines are
 * skipped. Errors name the file, the line and what it holds.
 */
export function parseLabelled(text: string, source: SentimentSource, where: string): Sentence[] {
  const out: Sentence[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    if (line.length > MAX_LINE_CHARS) throw new Error(`${where}:${i + 1}: line has ${line.length} characters; at most ${MAX_LINE_CHARS} are accepted`);
    const tab = line.lastIndexOf("\t");
    if (tab < 0) throw new Error(`${where}:${i + 1}: expected "sentence<TAB>label", got a line without a tab: ${JSON.stringify(line.slice(0, 60))}`);
    const label = line.slice(tab + 1).trim();
    if (label !== "0" && label !== "1") throw new Error(`${where}:${i + 1}: the label must be 0 or 1, got ${JSON.stringify(label.slice(0, 20))}`);
    const sentence = line.slice(0, tab).trim();
    if (sentence === "") throw new Error(`${where}:${i + 1}: the sentence before the tab is empty`);
    out.push({ text: sentence, label: label === "1" ? 1 : 0, source });
  });
  return out;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/** The tokens of a sentence; see the module comment for the rule. */
export function tokenizeSentence(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** Train, validation and test fractions; the test part is what remains. */
export interface SplitFractions {
  train: number;
  val: number;
}

export interface SentimentSplit {
  train: Sentence[];
  val: Sentence[];
  test: Sentence[];
}

/**
 * The fixed held-out split: within each (source, label) group, the sentences are shuffled by a
 * generator seeded with `seed` and the first round(train·n) go to training, the next
 * round(val·n) to validation and the rest to test. So every part has the same mix of sources
 * and labels as the whole, and the split depends on the seed alone, not on the model's seed.
 */
export function splitSentences(sentences: readonly Sentence[], seed: number, fractions: SplitFractions = { train: 0.8, val: 0.1 }): SentimentSplit {
  const { train, val } = fractions;
  if (!(train > 0 && val >= 0 && train + val < 1)) throw new Error(`splitSentences: fractions must have train > 0, val >= 0 and train + val < 1, got train ${train}, val ${val}`);
  const gen = new Generator(seed);
  const out: SentimentSplit = { train: [], val: [], test: [] };
  for (const source of SENTIMENT_SOURCES) {
    for (const label of [0, 1] as const) {
      const group = sentences.filter((s) => s.source === source && s.label === label);
      const order = group.map((_, i) => i);
      gen.shuffle(order);
      const nTrain = Math.round(train * group.length);
      const nVal = Math.round(val * group.length);
      order.forEach((k, i) => (i < nTrain ? out.train : i < nTrain + nVal ? out.val : out.test).push(group[k]!));
    }
  }
  return out;
}

/** The vocabulary of the training sentences: `<unk>` 0, `<pad>` 1, then tokens seen at least `minFreq` times, most frequent first. */
export function buildVocab(train: readonly Sentence[], minFreq: number): Vocab {
  return new Vocab(train.map((s) => tokenizeSentence(s.text)), { minFreq, reservedTokens: [PAD] });
}

/**
 * The token ids of a sentence, its first `maxTokens` tokens (unknown ones as `<unk>`). A sentence
 * with no token at all (only spaces) is one `<unk>`, so every sequence has a real step.
 */
export function encodeSentence(vocab: Vocab, text: string, maxTokens: number): Int32Array {
  const tokens = tokenizeSentence(text).slice(0, maxTokens);
  return tokens.length === 0 ? new Int32Array(1) : vocab.toIndices(tokens);
}

/** Binary bag of words (N, V): 1 where the vocabulary's token occurs in the sentence; `<unk>` and `<pad>` stay 0. */
export function bagOfWords(vocab: Vocab, sentences: readonly Sentence[], maxTokens: number): Float32Array {
  const V = vocab.length;
  const pad = vocab.indexOf(PAD);
  if (sentences.length * V > MAX_ELEMENTS) {
    throw new Error(`bagOfWords: ${sentences.length} sentences x ${V} words is more than the ${MAX_ELEMENTS} values a tensor may hold; raise --min-freq or use fewer sentences`);
  }
  const out = new Float32Array(sentences.length * V);
  sentences.forEach((s, n) => {
    for (const id of encodeSentence(vocab, s.text, maxTokens)) if (id !== 0 && id !== pad) out[n * V + id] = 1;
  });
  return out;
}
