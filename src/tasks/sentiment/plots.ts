/**
 * The run-level figures: per model, the training loss and the validation accuracy per epoch,
 * each the mean over the model's seeds (the sub-runs have their own per-seed plots).
 */
import type { RunStore } from "../../train/store/store.js";
import type { Series } from "../../viz/lineplot.js";
import { linePlotPng } from "../../viz/png.js";
import { linePlotSvg } from "../../viz/svg.js";
import type { JobResult, SentimentResults } from "./results.js";

const COLORS: Record<string, string> = { lstm: "#1f77b4", gru: "#2ca02c", bilstm: "#9467bd", bow: "#d62728" };
const LABELS: Record<string, string> = { lstm: "LSTM", gru: "GRU", bilstm: "BiLSTM", bow: "bag of words (logistic regression)" };

/** Per epoch, the mean over runs of `pick(run)[epoch]`. */
function meanCurve(runs: readonly JobResult[], pick: (r: JobResult) => readonly number[]): number[] {
  const n = Math.min(...runs.map((r) => pick(r).length));
  return Array.from({ length: n }, (_, e) => runs.reduce((s, r) => s + pick(r)[e]!, 0) / runs.length);
}

function series(results: SentimentResults, pick: (r: JobResult) => readonly number[]): Series[] {
  return results.models.map((m) => {
    const y = meanCurve(results.runs.filter((r) => r.model === m.model), pick);
    return { name: `${LABELS[m.model] ?? m.model}, ${m.seeds} seed${m.seeds === 1 ? "" : "s"}`, x: y.map((_, e) => e + 1), y, color: COLORS[m.model] ?? "#444444" };
  });
}

/** "5 seeds" (the most any model has). */
function seedsOf(results: SentimentResults): string {
  const n = Math.max(...results.models.map((m) => m.seeds));
  return `${n} seed${n === 1 ? "" : "s"}`;
}

/** Writes loss.svg/.png and accuracy.svg/.png into the run; returns the SVGs' locations. */
export async function writeSentimentPlots(store: RunStore, results: SentimentResults): Promise<Record<string, string>> {
  const plots = {
    loss: { title: `Sentiment: training loss, mean of ${seedsOf(results)}`, xLabel: "epoch", yLabel: "cross-entropy", series: series(results, (r) => r.losses), width: 720, height: 440 },
    accuracy: { title: `Sentiment: validation accuracy, mean of ${seedsOf(results)}`, xLabel: "epoch", yLabel: "accuracy", series: series(results, (r) => r.valAccuracies), width: 720, height: 440 },
  };
  const files: Record<string, string> = {};
  for (const [name, opts] of Object.entries(plots)) {
    await store.write(`${name}.svg`, linePlotSvg(opts));
    await store.write(`${name}.png`, linePlotPng(opts));
    files[`${name}Plot`] = store.locate(`${name}.svg`);
  }
  return files;
}
