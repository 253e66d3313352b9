/**
 * `trainForecast`: the forecasting experiment as a library function. Reads the series, splits
 * it chronologically, trains a Forecaster with the shared loop (Adam, MSE on the scaled changes,
 * clipping, metrics log, loss plot, checkpoints, resume), then scores it and both baselines on
 * the held-out months and writes results.json and forecast.svg/.png into the run folder.
 */
import { readFileSync } from "node:fs";
import { parseMonthlyCsv } from "../../data/series/monthly.js";
import { tensorLoader } from "../../data/loader.js";
import type { TensorBatch } from "../../data/collate.js";
import { mseLoss } from "../../losses/mse.js";
import { Adam } from "../../optim/adam.js";
import { manualSeed } from "../../tensor/random.js";
import { Checkpoint } from "../../train/callbacks/checkpoint.js";
import { MetricsLog } from "../../train/callbacks/metrics-log.js";
import { Plots } from "../../train/callbacks/plots.js";
import { ProgressCallback } from "../../train/callbacks/progress.js";
import { fitLoop } from "../../train/fit.js";
import { Progress } from "../../train/progress.js";
import { FileStore } from "../../train/store/file-store.js";
import { latestCheckpoint } from "../../train/store/checkpoints.js";
import type { ForecastConfig } from "./config.js";
import { splitSeries, trainingWindows, type ForecastSplit } from "./data.js";
import { Forecaster } from "./model.js";
import { evaluateForecaster, writeForecastResults, type ForecastResults } from "./results.js";

export interface TrainForecastOptions {
  config: ForecastConfig;
  /** The run folder (created when new). */
  runDir: string;
  /** Continue from the folder's latest checkpoint. Default false. */
  resume?: boolean;
  /** Progress output. Default: nothing printed. */
  progress?: Progress;
  /** Stops at the next batch; the run stays resumable. */
  signal?: AbortSignal;
}

export interface TrainForecastResult {
  model: Forecaster;
  split: ForecastSplit;
  /** Held-out scores; null when the run was interrupted. */
  results: ForecastResults | null;
  aborted: boolean;
  /** Seconds the call took. */
  seconds: number;
}

/** Reads the CO2 CSV at `path` and splits it for `config`. */
export function loadForecastSplit(config: ForecastConfig): ForecastSplit {
  const series = parseMonthlyCsv(readFileSync(config.dataPath, "utf8"), "CO2", config.dataPath);
  return splitSeries(series, config.holdout, config.window, config.horizon);
}

/** A new Forecaster for `config` (the global generator must be seeded first for a reproducible init). */
export function buildForecaster(config: ForecastConfig): Forecaster {
  return new Forecaster({ cell: config.cell, hiddenSize: config.hiddenSize, numLayers: config.numLayers, horizon: config.horizon });
}

export async function trainForecast(opts: TrainForecastOptions): Promise<TrainForecastResult> {
  const started = performance.now();
  const { config } = opts;
  const progress = opts.progress ?? new Progress({ mode: "quiet", out: { write: () => true } });
  const split = loadForecastSplit(config);
  const store = new FileStore(opts.runDir);
  if (opts.resume !== true) await store.write("config.json", `${JSON.stringify(config, null, 2)}\n`);
  manualSeed(config.seed);
  const model = buildForecaster(config);
  const optimizer = new Adam(model.parameters(), { lr: config.lr });
  const loader = tensorLoader(trainingWindows(split, config.window, config.horizon), { batchSize: config.batchSize, shuffle: true, seed: config.seed });
  const resumeFrom = opts.resume === true ? await latestCheckpoint(store) : null;
  const filled = split.series.filled.length > 0 ? `, ${split.series.filled.length} missing months interpolated` : "";
  progress.event(
    "start",
    { runDir: opts.runDir, config: { ...config }, resume: opts.resume === true },
    `${resumeFrom !== null ? "resuming" : "training"} ${config.cell.toUpperCase()} (${config.hiddenSize} hidden) on ${split.series.months.length} months ` +
      `${split.series.months[0]}..${split.series.months[split.series.months.length - 1]}${filled}; last ${config.holdout} held out -> ${opts.runDir}`,
  );
  const history = await fitLoop(model, {
    data: loader,
    epochs: config.numEpochs,
    optimizer,
    trainStep: (_ctx, b: TensorBatch) => {
      if (b.y === undefined) throw new Error("trainForecast: a batch without targets");
      const output = model.forward(b.x);
      return { loss: mseLoss(output, b.y), output, target: b.y };
    },
    clipNorm: config.clip,
    countUnit: "windows",
    config: { ...config },
    store,
    resumeFrom,
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    callbacks: [
      new ProgressCallback(progress),
      new MetricsLog(),
      new Plots({ metrics: ["loss"], every: config.checkpointEvery, title: () => `Training loss (MSE of scaled monthly changes), ${config.cell.toUpperCase()}` }),
      new Checkpoint({ every: config.checkpointEvery, keep: 3 }),
    ],
  });
  if (history.aborted) return { model, split, results: null, aborted: true, seconds: (performance.now() - started) / 1000 };
  const results = evaluateForecaster(model, split, config);
  await writeForecastResults(store, model, split, config, results);
  return { model, split, results, aborted: false, seconds: (performance.now() - started) / 1000 };
}
