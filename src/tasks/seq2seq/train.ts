/**
 * `trainSeq2Seq`: the translation experiment as a library function. Prepares the pairs, trains a
 * `Seq2Seq` with the shared loop (teacher forcing, cross-entropy that ignores "<pad>", Adam,
 * clipping, validation loss on the held-out pairs, metrics log, loss plot, checkpoints, resume),
 * then translates the held-out pairs and the book's four examples and writes results.json.
 */
import { crossEntropy } from "../../losses/cross-entropy.js";
import { DataLoader } from "../../data/loader.js";
import type { Dataset } from "../../data/dataset.js";
import { PAD, type TranslationArrays } from "../../data/text/translation.js";
import type { Vocab } from "../../data/text/vocab.js";
import { reshape } from "../../autograd/ops/shape.js";
import { Adam } from "../../optim/adam.js";
import { manualSeed } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { getBackend } from "../../backends/registry.js";
import { Checkpoint } from "../../train/callbacks/checkpoint.js";
import { MetricsLog } from "../../train/callbacks/metrics-log.js";
import { Plots } from "../../train/callbacks/plots.js";
import { ProgressCallback } from "../../train/callbacks/progress.js";
import { fitLoop, type StepFn } from "../../train/fit.js";
import { Progress } from "../../train/progress.js";
import type { RunStore } from "../../train/store/store.js";
import { openRunFolder } from "../run-folder.js";
import { loadTranslationData, type Seq2SeqConfig, type TranslationData } from "./data.js";
import { Seq2Seq } from "./model.js";
import { SEQ2SEQ_SCHEMA } from "./schema.js";
import { attentionMap, bookExamples, scoreHeldOut, BOOK_EXAMPLES, type ExampleResult, type HeldOutScores } from "./translate.js";
import { heatmapPng, heatmapSvg } from "../../viz/heatmap.js";

/** One batch, time-major. */
export interface TranslationBatch {
  /** Source ids (T, B). */
  src: Tensor;
  /** Valid source lengths (B). */
  lengths: Int32Array;
  /** Decoder inputs (T, B): "<bos>" and the target shifted. */
  tgtIn: Tensor;
  /** Labels (T·B), time-major, "<pad>" where nothing is scored. */
  labels: Int32Array;
}

/** The rows `rows` of `a` as a batch. */
export function translationBatch(a: TranslationArrays, rows: readonly number[]): TranslationBatch {
  const T = a.numSteps;
  const B = rows.length;
  const src = new Float32Array(T * B);
  const tgtIn = new Float32Array(T * B);
  const labels = new Int32Array(T * B);
  rows.forEach((r, b) => {
    for (let t = 0; t < T; t++) {
      src[t * B + b] = a.source[r * T + t]!;
      tgtIn[t * B + b] = a.decoderInput[r * T + t]!;
      labels[t * B + b] = a.labels[r * T + t]!;
    }
  });
  return { src: new Tensor(src, [T, B]), lengths: Int32Array.from(rows, (r) => a.sourceLengths[r]!), tgtIn: new Tensor(tgtIn, [T, B]), labels };
}

/** Pairs by index, for a DataLoader whose collate builds the batch. */
function rowDataset(a: TranslationArrays): Dataset<number> {
  return { length: a.count, get: (i) => i };
}

/** A loader of `a` in batches of `batchSize` (shuffled with `seed` when given). */
export function translationLoader(a: TranslationArrays, batchSize: number, seed?: number): DataLoader<number, TranslationBatch> {
  return new DataLoader(rowDataset(a), { batchSize, ...(seed !== undefined ? { shuffle: true, seed } : {}), collate: (rows) => translationBatch(a, rows) });
}

/** Teacher-forced cross-entropy over the labels that are not "<pad>" (d2l's masked loss); counts tokens. */
export function seq2seqStep(model: Seq2Seq, padId: number): StepFn<TranslationBatch> {
  return (_ctx, b) => {
    const logits = model.forward(b.src, b.lengths, b.tgtIn); // (T, B, V)
    const [T, B, V] = logits.shape as [number, number, number];
    let tokens = 0;
    for (const y of b.labels) if (y !== padId) tokens++;
    return { loss: crossEntropy(reshape(logits, [T * B, V]), b.labels, { ignoreIndex: padId }), count: tokens };
  };
}

/** The model a config describes for these vocabularies (the global generator must be seeded first). */
export function buildSeq2Seq(config: Seq2SeqConfig, source: Vocab, target: Vocab): Seq2Seq {
  return new Seq2Seq({
    sourceVocab: source.length,
    targetVocab: target.length,
    embedSize: config.embedSize,
    hiddenSize: config.hiddenSize,
    numLayers: config.numLayers,
    dropout: config.dropout,
    attention: config.attention,
  });
}

export const SOURCE_VOCAB_FILE = "source-vocab.json";
export const TARGET_VOCAB_FILE = "target-vocab.json";

/** What results.json holds. */
export interface Seq2SeqResults {
  epoch: number;
  beam: number;
  lengthPenalty: number;
  heldOut: HeldOutScores;
  examples: ExampleResult[];
}

/** Scores `model` and writes results.json. */
export async function writeSeq2SeqResults(store: RunStore, model: Seq2Seq, data: TranslationData, config: Seq2SeqConfig, epoch: number): Promise<Seq2SeqResults> {
  const results: Seq2SeqResults = {
    epoch,
    beam: config.beam,
    lengthPenalty: config.lengthPenalty,
    heldOut: scoreHeldOut(model, data, config),
    examples: bookExamples(model, data.source, data.target, config),
  };
  await store.write("results.json", `${JSON.stringify(results, null, 2)}\n`);
  if (config.attention) await writeAttentionMap(store, model, data, config);
  return results;
}

/**
 * For an attention model: the weights of the book's last example ("i'm home .", as the book
 * plots them) as attention.json and a heatmap, attention.svg/.png (rows: output tokens; columns:
 * source tokens).
 */
async function writeAttentionMap(store: RunStore, model: Seq2Seq, data: TranslationData, config: Seq2SeqConfig): Promise<void> {
  const sentence = BOOK_EXAMPLES[BOOK_EXAMPLES.length - 1]!.en;
  const map = attentionMap(model, sentence, data.source, data.target, config.numSteps);
  await store.write("attention.json", `${JSON.stringify(map)}\n`);
  if (map.weights.length === 0) return;
  const plot = {
    values: map.weights.flat(),
    rows: map.weights.length,
    cols: map.source.length,
    min: 0,
    max: 1,
    title: `attention: ${sentence} -> ${map.output.join(" ")}`,
    xLabel: `source: ${map.source.join(" ")}`,
    yLabel: "output token",
    width: 480,
    height: 360,
  };
  await store.write("attention.svg", heatmapSvg(plot));
  await store.write("attention.png", heatmapPng(plot));
}

/** The numbers a run reports (CLI summary, evaluate). */
export function summarizeSeq2Seq(r: Seq2SeqResults): Record<string, number> {
  const out: Record<string, number> = {
    epoch: r.epoch,
    "heldOut.pairs": r.heldOut.pairs,
    "heldOut.bleu2": r.heldOut.meanBleu2,
    "heldOut.corpusBleu4": r.heldOut.corpus.bleu,
    "heldOut.corpusBleu2": r.heldOut.corpus2.bleu,
    "heldOut.exact": r.heldOut.exact,
  };
  r.examples.forEach((e, i) => (out[`example${i + 1}.bleu2`] = e.bleu));
  return out;
}

export interface TrainSeq2SeqOptions {
  config: Seq2SeqConfig;
  /** The run folder: new and empty, or the run's own for a resume. */
  runDir: string;
  resume?: boolean;
  /** Progress output. Default: nothing printed. */
  progress?: Progress;
  /** Stops at the next batch; the run stays resumable. */
  signal?: AbortSignal;
}

export interface TrainSeq2SeqResult {
  model: Seq2Seq;
  data: TranslationData;
  /** Null when the run was interrupted. */
  results: Seq2SeqResults | null;
  aborted: boolean;
  /** Last epoch's training and validation loss (per target token). */
  loss: number;
  valLoss: number;
  seconds: number;
}

export async function trainSeq2Seq(opts: TrainSeq2SeqOptions): Promise<TrainSeq2SeqResult> {
  const started = performance.now();
  const { config } = opts;
  const progress = opts.progress ?? new Progress({ mode: "quiet", out: { write: () => true } });
  const data = loadTranslationData(config);
  const { store, resumeFrom } = await openRunFolder(SEQ2SEQ_SCHEMA, opts.runDir, { ...config }, opts.resume === true);
  // The vocabularies follow from the data and the config; a resume rewrites them if they are missing.
  for (const [name, vocab] of [[SOURCE_VOCAB_FILE, data.source], [TARGET_VOCAB_FILE, data.target]] as const) {
    if (!(await store.exists(name))) await store.write(name, `${JSON.stringify(vocab.toJSON())}\n`);
  }
  manualSeed(config.seed);
  const model = buildSeq2Seq(config, data.source, data.target);
  const padId = data.target.indexOf(PAD);
  const step = seq2seqStep(model, padId);
  progress.event(
    "start",
    { runDir: opts.runDir, config: { ...config }, backend: getBackend().name, resume: opts.resume === true },
    `${resumeFrom !== null ? "resuming" : "training"} GRU encoder-decoder${config.attention ? " with Bahdanau attention" : ""} (${config.numLayers}x${config.hiddenSize}) ` +
      `on ${data.train.count} pairs, ${data.heldOut.count} held out, vocabularies ${data.source.length}/${data.target.length}, ${getBackend().name} backend -> ${opts.runDir}`,
  );
  const history = await fitLoop(model, {
    data: translationLoader(data.train, config.batchSize, config.seed),
    validationData: translationLoader(data.heldOut, 256),
    epochs: config.epochs,
    optimizer: new Adam(model.parameters(), { lr: config.lr }),
    trainStep: step,
    clipNorm: config.clip,
    countUnit: "tokens",
    config: { ...config },
    store,
    resumeFrom,
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    callbacks: [
      new ProgressCallback(progress),
      new MetricsLog(),
      new Plots({ metrics: ["loss"], every: config.checkpointEvery, title: () => `en-fr GRU seq2seq${config.attention ? " + attention" : ""}: loss per token` }),
      new Checkpoint({ every: config.checkpointEvery, keep: 2 }),
    ],
  });
  const last = history.history[history.history.length - 1];
  const done = { model, data, loss: last?.["loss"] ?? NaN, valLoss: last?.["val_loss"] ?? NaN };
  if (history.aborted) return { ...done, results: null, aborted: true, seconds: (performance.now() - started) / 1000 };
  const results = await writeSeq2SeqResults(store, model, data, config, last?.epoch ?? 0);
  return { ...done, results, aborted: false, seconds: (performance.now() - started) / 1000 };
}
