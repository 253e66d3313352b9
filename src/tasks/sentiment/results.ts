/**
 * The sentiment run's results.json: every sub-run's scores, the mean and standard deviation of
 * test accuracy and F1 per model over its seeds, and the majority-class baseline. Browser-safe.
 */
import type { SentimentModelKind } from "./model.js";
import type { SentimentSplit } from "./text.js";
import { f1Score } from "./f1.js";

/** Loss, accuracy and positive-class F1 on one part of the data. */
export interface PartScores {
  loss: number;
  accuracy: number;
  f1: number;
}

/** One sub-run (one model, one seed). */
export interface JobResult {
  /** Sub-folder: "lstm-seed0", "bow-seed3". */
  name: string;
  model: SentimentModelKind | "bow";
  seed: number;
  parameters: number;
  epochs: number;
  /** Wall time of this call's training and scoring, in seconds (a resumed run counts only its own part). */
  seconds: number;
  /** Training loss per epoch. */
  losses: number[];
  /** Validation accuracy per epoch. */
  valAccuracies: number[];
  /** Validation scores after the last epoch. */
  val: PartScores;
  test: PartScores;
}

/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export interface MeanStd {
  mean: number;
  std: number;
}

export interface ModelSummary {
  model: SentimentModelKind | "bow";
  seeds: number;
  accuracy: MeanStd;
  f1: MeanStd;
  valAccuracy: MeanStd;
}

export interface SentimentResults {
  version: 1;
  counts: { train: number; val: number; test: number };
  vocabSize: number;
  /** The training part's more frequent label (ties go to positive), predicted for every test sentence. */
  majority: { label: 0 | 1; accuracy: number; f1: number };
  /** Per model, in training order (recurrent models, then "bow"). */
  models: ModelSummary[];
  /** The recurrent sub-run with the best validation accuracy (ties: the first); `recurrent predict` uses it. */
  best: string | null;
  runs: JobResult[];
  /** Wall time of the call that wrote this file, in seconds (a resumed run counts only its own part). */
  seconds: number;
}

export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n === 1 ? 0 : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, std };
}

/** The majority-class baseline: the label most frequent in training, scored on the test part. */
export function majorityBaseline(split: SentimentSplit): SentimentResults["majority"] {
  const positives = split.train.filter((s) => s.label === 1).length;
  const label = positives * 2 >= split.train.length ? 1 : 0;
  const correct = split.test.filter((s) => s.label === label).length;
  const testPositives = split.test.filter((s) => s.label === 1).length;
  // Predicting 1 everywhere: TP = the positives, FP = the negatives, FN = 0; predicting 0: TP = FP = 0.
  const f1 = label === 1 ? f1Score(testPositives, split.test.length - testPositives, 0) : f1Score(0, 0, testPositives);
  return { label, accuracy: correct / split.test.length, f1 };
}

/** results.json from the finished sub-runs. */
export function summarizeResults(runs: readonly JobResult[], data: { split: SentimentSplit; vocab: { length: number } }, seconds: number): SentimentResults {
  const models: ModelSummary[] = [];
  for (const model of [...new Set(runs.map((r) => r.model))]) {
    const mine = runs.filter((r) => r.model === model);
    models.push({
      model,
      seeds: mine.length,
      accuracy: meanStd(mine.map((r) => r.test.accuracy)),
      f1: meanStd(mine.map((r) => r.test.f1)),
      valAccuracy: meanStd(mine.map((r) => r.val.accuracy)),
    });
  }
  const recurrent = runs.filter((r) => r.model !== "bow");
  const best = recurrent.reduce<JobResult | null>((b, r) => (b === null || r.val.accuracy > b.val.accuracy ? r : b), null);
  return {
    version: 1,
    counts: { train: data.split.train.length, val: data.split.val.length, test: data.split.test.length },
    vocabSize: data.vocab.length,
    majority: majorityBaseline(data.split),
    models,
    best: best?.name ?? null,
    runs: [...runs],
    seconds,
  };
}
