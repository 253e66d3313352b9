/**
 * The forecasting data: a chronological split (the last `holdout` months are the test part),
 * the model's view of the series (month-to-month changes, standardised with the mean and
 * standard deviation of the training part's changes only) and the training windows.
 *
 * A window ending at origin t (the last month known) holds the changes of months t − W + 1 .. t,
 * less the window's own mean change (its local drift: over whole years the season cancels),
 * divided by the training part's standard deviation of changes; its targets are the changes
 * of months t + 1 .. t + H, less the same drift and scaled alike. Working on changes rather
 * than levels keeps the inputs in range while the level keeps rising past anything seen in
 * training, and removing the local drift lets the network spend itself on the season: CO2
 * rose by about 0.07 ppm a month in the 1960s and by 0.2 in the 2010s.
 */
import { TensorDataset } from "../../data/dataset.js";
import type { MonthlySeries } from "../../data/series/monthly.js";
import { tensor } from "../../tensor/create.js";

/** The standardisation of month-to-month changes, fitted on the training part (the model uses `std`; `mean` is reported). */
export interface ChangeScaler {
  mean: number;
  std: number;
}

export interface ForecastSplit {
  series: MonthlySeries;
  /** Index of the first held-out month; values[0..trainEnd) are the training part. */
  trainEnd: number;
  scaler: ChangeScaler;
}

/** Splits off the last `holdout` months and fits the scaler on the rest. */
export function splitSeries(series: MonthlySeries, holdout: number, window: number, horizon: number): ForecastSplit {
  const n = series.values.length;
  const trainEnd = n - holdout;
  if (trainEnd - window - horizon < 2) {
    throw new Error(`forecast: ${n} months leave too few for training with holdout ${holdout}, window ${window} and horizon ${horizon}`);
  }
  let s = 0;
  for (let i = 1; i < trainEnd; i++) s += series.values[i]! - series.values[i - 1]!;
  const mean = s / (trainEnd - 1);
  let v = 0;
  for (let i = 1; i < trainEnd; i++) v += (series.values[i]! - series.values[i - 1]! - mean) ** 2;
  const std = Math.sqrt(v / (trainEnd - 2));
  return { series, trainEnd, scaler: { mean, std } };
}

/**
 * The scaled changes of months t − W + 1 .. t of `values`, less their mean, into `out` at
 * `offset`; returns that mean (the local drift, per month) for the targets and forecasts.
 */
export function windowInto(values: ArrayLike<number>, t: number, window: number, scaler: ChangeScaler, out: Float32Array, offset: number): number {
  if (t - window < 0) throw new Error(`forecast: origin ${t} has fewer than ${window} changes before it`);
  const drift = (values[t]! - values[t - window]!) / window;
  for (let k = 0; k < window; k++) {
    const i = t - window + 1 + k;
    out[offset + k] = (values[i]! - values[i - 1]! - drift) / scaler.std;
  }
  return drift;
}

/** Every training window whose targets lie inside the training part, oldest first: x (N, W, 1), y (N, H). */
export function trainingWindows(split: ForecastSplit, window: number, horizon: number): TensorDataset {
  const values = split.series.values;
  const first = window;
  const last = split.trainEnd - 1 - horizon;
  const n = last - first + 1;
  const x = new Float32Array(n * window);
  const y = new Float32Array(n * horizon);
  for (let r = 0; r < n; r++) {
    const t = first + r;
    const drift = windowInto(values, t, window, split.scaler, x, r * window);
    for (let h = 1; h <= horizon; h++) y[r * horizon + h - 1] = (values[t + h]! - values[t + h - 1]! - drift) / split.scaler.std;
  }
  return new TensorDataset(tensor(x, [n, window, 1]), tensor(y, [n, horizon]));
}
