/**
 * The forecasting task's options (see tasks/schema.ts): `recurrent train forecast` builds its
 * flags, --help, checks and resume check from this list; config.json is checked against it.
 */
import type { TaskSchema } from "../schema.js";

export const FORECAST_CELLS = ["lstm", "gru"] as const;

/** Defaults: a run of about a minute on two cores. */
export const FORECAST_DEFAULTS = {
  cell: "lstm",
  hiddenSize: 32,
  numLayers: 1,
  window: 36,
  horizon: 12,
  holdout: 24,
  baselineYears: 10,
  batchSize: 32,
  numEpochs: 60,
  lr: 0.005,
  clip: 1,
  seed: 0,
  checkpointEvery: 10,
} as const;

export const FORECAST_SCHEMA: TaskSchema = {
  task: "forecast",
  summary: "forecast the monthly Mauna Loa CO2 series (LSTM/GRU against two baselines)",
  description:
    "Trains an LSTM or GRU on the monthly Mauna Loa CO2 record (1958-2020, bundled) to forecast the\n" +
    "next months from the last WINDOW months' changes, holding out the last HOLDOUT months. It\n" +
    "reports MAE, RMSE and MASE at each horizon for one-step, recursive and direct multi-step\n" +
    "forecasts, next to seasonal naive with drift and a linear trend with monthly seasonality\n" +
    "fitted in the same run, and writes config.json, metrics.jsonl, loss.svg/.png,\n" +
    "forecast.svg/.png, results.json, checkpoints/ and final.{json,safetensors}.",
  options: [
    { name: "cell", flag: "--cell", type: "choice", choices: FORECAST_CELLS, metavar: "lstm|gru", default: FORECAST_DEFAULTS.cell, doc: "recurrent cell", resumable: false, group: "Model" },
    { name: "hiddenSize", flag: "--hidden", type: "integer", min: 1, default: FORECAST_DEFAULTS.hiddenSize, doc: "hidden units per layer", resumable: false, group: "Model" },
    { name: "numLayers", flag: "--layers", type: "integer", min: 1, default: FORECAST_DEFAULTS.numLayers, doc: "stacked layers", resumable: false, group: "Model" },
    { name: "dataPath", flag: "--data", type: "string", defaultDoc: "data/co2-concentration.csv, bundled", doc: "CSV with Date and CO2 columns", resumable: true, group: "Data" },
    { name: "window", flag: "--window", type: "integer", min: 1, default: FORECAST_DEFAULTS.window, doc: "months of history the model reads", resumable: false, group: "Data" },
    { name: "horizon", flag: "--horizon", type: "integer", min: 1, default: FORECAST_DEFAULTS.horizon, doc: "months the model forecasts at once (the direct strategy's reach)", resumable: false, group: "Data" },
    { name: "holdout", flag: "--holdout", type: "integer", min: 1, default: FORECAST_DEFAULTS.holdout, doc: "last months held out for testing", resumable: false, group: "Data" },
    { name: "baselineYears", flag: "--baseline-years", type: "integer", min: 1, default: FORECAST_DEFAULTS.baselineYears, doc: "years before the holdout the baselines are fitted on", resumable: false, group: "Data" },
    { name: "batchSize", flag: "--batch", type: "integer", min: 1, default: FORECAST_DEFAULTS.batchSize, doc: "windows per minibatch", resumable: false, group: "Optimisation" },
    { name: "numEpochs", flag: "--epochs", type: "integer", min: 1, default: FORECAST_DEFAULTS.numEpochs, doc: "epochs", resumable: true, group: "Optimisation" },
    { name: "lr", flag: "--lr", type: "number", default: FORECAST_DEFAULTS.lr, doc: "Adam learning rate", resumable: false, group: "Optimisation" },
    { name: "clip", flag: "--clip", type: "number", default: FORECAST_DEFAULTS.clip, doc: "largest gradient norm", resumable: false, group: "Optimisation" },
    { name: "seed", flag: "--seed", type: "integer", min: 0, max: 0xffffffff, default: FORECAST_DEFAULTS.seed, doc: "seeds the initialisation and the shuffling", resumable: false, group: "Optimisation" },
    { name: "checkpointEvery", flag: "--checkpoint-every", type: "integer", min: 1, default: FORECAST_DEFAULTS.checkpointEvery, doc: "periodic checkpoint every N epochs", resumable: true, group: "Run" },
  ],
};
