/** Forecast errors: MAE, RMSE and MASE (Hyndman & Koehler 2006), over plain number arrays. */

function check(where: string, truth: ArrayLike<number>, pred: ArrayLike<number>): void {
  if (truth.length !== pred.length || truth.length === 0) throw new Error(`${where}: truth and forecast must have the same non-zero length, got ${truth.length} and ${pred.length}`);
}

/** Mean absolute error. */
export function meanAbsoluteError(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  check("meanAbsoluteError", truth, pred);
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += Math.abs(truth[i]! - pred[i]!);
  return s / truth.length;
}

/** Root mean squared error. */
export function rootMeanSquaredError(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  check("rootMeanSquaredError", truth, pred);
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (truth[i]! - pred[i]!) ** 2;
  return Math.sqrt(s / truth.length);
}

/**
 * The in-sample MAE of the seasonal naive forecast y_t ≈ y_{t−m} over `train`: the scale of
 * MASE. Needs more than m values.
 */
export function seasonalNaiveScale(train: ArrayLike<number>, m: number): number {
  if (!(Number.isInteger(m) && m >= 1) || train.length <= m) throw new Error(`seasonalNaiveScale: needs an integer m >= 1 and more than m values, got m=${m} and ${train.length} values`);
  let s = 0;
  for (let i = m; i < train.length; i++) s += Math.abs(train[i]! - train[i - m]!);
  return s / (train.length - m);
}

/** Mean absolute scaled error: MAE divided by `scale` (see seasonalNaiveScale). */
export function meanAbsoluteScaledError(truth: ArrayLike<number>, pred: ArrayLike<number>, scale: number): number {
  if (!(scale > 0)) throw new Error(`meanAbsoluteScaledError: scale must be positive, got ${scale}`);
  return meanAbsoluteError(truth, pred) / scale;
}
