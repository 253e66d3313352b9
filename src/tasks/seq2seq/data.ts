/**
 * The translation task's config (typed, checked) and data: the first `pairs` pairs of the file,
 * prepared as d2l's `MTFraEng` (src/data/text/translation.ts), split into training pairs and
 * `heldOut` pairs (the last ones, as d2l's validation split, or a seeded random choice), with
 * both vocabularies counted over all `pairs` pairs, as d2l counts them.
 */
import { fileURLToPath } from "node:url";
import { readFileChecked } from "../../io/atomic.js";
import { preprocessTranslation, tokenizePairs, translationArrays, translationVocabs, EOS, type TokenPair, type TranslationArrays } from "../../data/text/translation.js";
import type { Vocab } from "../../data/text/vocab.js";
import { Generator } from "../../tensor/random.js";
import { checkConfig, type OptionValue } from "../schema.js";
import { SEQ2SEQ_DEFAULTS, SEQ2SEQ_SCHEMA } from "./schema.js";

/** The Tatoeba English–French pairs shipped in the package's data/ folder. */
export const FRA_ENG_TXT = fileURLToPath(new URL("../../../data/fra-eng.txt", import.meta.url));

/** Largest pairs file read (the bundled one is 0.7 MB). */
const MAX_DATA_BYTES = 256 * 1024 * 1024;

export interface Seq2SeqConfig {
  dataPath: string;
  pairs: number;
  heldOut: number;
  split: "tail" | "random";
  numSteps: number;
  minFreq: number;
  attention: boolean;
  embedSize: number;
  hiddenSize: number;
  numLayers: number;
  dropout: number;
  epochs: number;
  batchSize: number;
  lr: number;
  clip: number;
  seed: number;
  checkpointEvery: number;
  beam: number;
  lengthPenalty: number;
}

/** Fills defaults into `input` (values by config field) and checks every field; errors name `where` and the field. */
export function resolveSeq2SeqConfig(input: Record<string, OptionValue | undefined>, where = "seq2seq"): Seq2SeqConfig {
  const merged: Record<string, OptionValue> = { ...SEQ2SEQ_DEFAULTS, dataPath: FRA_ENG_TXT };
  for (const [k, v] of Object.entries(input)) if (v !== undefined) merged[k] = v;
  const c = checkConfig(SEQ2SEQ_SCHEMA, merged, where);
  const num = (k: string): number => Number(c[k]);
  const config: Seq2SeqConfig = {
    dataPath: String(c["dataPath"]),
    pairs: num("pairs"),
    heldOut: num("heldOut"),
    split: c["split"] === "random" ? "random" : "tail",
    numSteps: num("numSteps"),
    minFreq: num("minFreq"),
    attention: c["attention"] === true,
    embedSize: num("embedSize"),
    hiddenSize: num("hiddenSize"),
    numLayers: num("numLayers"),
    dropout: num("dropout"),
    epochs: num("epochs"),
    batchSize: num("batchSize"),
    lr: num("lr"),
    clip: num("clip"),
    seed: num("seed"),
    checkpointEvery: num("checkpointEvery"),
    beam: num("beam"),
    lengthPenalty: num("lengthPenalty"),
  };
  if (config.heldOut >= config.pairs) throw new Error(`${where}: heldOut (--held-out) must be smaller than pairs (--pairs) = ${config.pairs}, got ${config.heldOut}`);
  if (config.dropout >= 1) throw new Error(`${where}: dropout (--dropout) must be below 1, got ${config.dropout}`);
  return config;
}

/** The prepared data of a run. */
export interface TranslationData {
  source: Vocab;
  target: Vocab;
  train: TranslationArrays;
  heldOut: TranslationArrays;
  /** The held-out pairs' token lists (with "<eos>", before cutting), in the held-out order. */
  heldOutPairs: TokenPair[];
  /** Indices (in the file's pair order) of the held-out pairs. */
  heldOutIndex: number[];
}

/** Reads and prepares the pairs `config` names; see the module comment. */
export function loadTranslationData(config: Seq2SeqConfig): TranslationData {
  const text = new TextDecoder("utf-8").decode(readFileChecked(config.dataPath, "translation pairs", { maxBytes: MAX_DATA_BYTES }));
  const pairs = tokenizePairs(preprocessTranslation(text), config.pairs);
  if (pairs.length < config.pairs) throw new Error(`seq2seq: ${config.dataPath} holds ${pairs.length} pairs (lines with one tab), fewer than --pairs ${config.pairs}`);
  const held = heldOutIndices(config);
  const isHeld = new Set(held);
  const trainPairs = pairs.filter((_, i) => !isHeld.has(i));
  const heldPairs = held.map((i) => pairs[i]!);
  const { source, target } = translationVocabs(pairs, config.numSteps, config.minFreq);
  return {
    source,
    target,
    train: translationArrays(trainPairs, source, target, config.numSteps),
    heldOut: translationArrays(heldPairs, source, target, config.numSteps),
    heldOutPairs: heldPairs,
    heldOutIndex: held,
  };
}

/** Indices of the held-out pairs, ascending: the last `heldOut`, or a seeded random choice. */
export function heldOutIndices(config: Pick<Seq2SeqConfig, "pairs" | "heldOut" | "split" | "seed">): number[] {
  const all = Array.from({ length: config.pairs }, (_, i) => i);
  if (config.split === "tail") return all.slice(config.pairs - config.heldOut);
  new Generator(config.seed).shuffle(all);
  return all.slice(0, config.heldOut).sort((a, b) => a - b);
}

/** A target token list as a reference sentence: the tokens before "<eos>". */
export function referenceTokens(tokens: readonly string[]): string[] {
  const end = tokens.indexOf(EOS);
  return end < 0 ? [...tokens] : tokens.slice(0, end);
}
