/**
 * Forecasts from a trained Forecaster at a batch of origins, and their rolling-origin scores.
 *
 * - recursive: the model's first output (the next month's change) is appended to the history
 *   and the window slides on, `steps` times: any reach, errors compound;
 * - direct: the model's `horizon` outputs are the next `horizon` changes at once.
 * Both turn changes back into levels (adding the window's drift back) from the last known value. The one-step
 * forecast is either at horizon 1 (they agree there).
 *
 * Scores: every origin t from the last training month on whose target t + h is a held-out
 * month is scored at horizon h, with the true history up to t known (rolling origin).
 */
import { noGrad } from "../../autograd/mode.js";
import type { Baseline } from "../../data/series/baselines.js";
import { meanAbsoluteError, meanAbsoluteScaledError, rootMeanSquaredError } from "../../data/series/metrics.js";
import { tensor } from "../../tensor/create.js";
import type { ChangeScaler } from "./data.js";
import { windowInto } from "./data.js";
import type { Forecaster } from "./model.js";

export type Strategy = "recursive" | "direct";

/** Forecast levels, one row of `steps` per origin: result[o][s] is the forecast of origins[o] + s + 1. */
export function forecastLevels(model: Forecaster, values: ArrayLike<number>, origins: readonly number[], steps: number, window: number, scaler: ChangeScaler, strategy: Strategy): Float64Array[] {
  if (strategy === "direct" && steps > model.horizon) throw new Error(`forecastLevels: the direct strategy reaches ${model.horizon} months, asked for ${steps}`);
  const B = origins.length;
  const rows = origins.map(() => new Float64Array(steps));
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(() => {
      if (strategy === "direct") {
        const x = new Float32Array(B * window);
        const drifts = origins.map((t, b) => windowInto(values, t, window, scaler, x, b * window));
        const out = model.forward(tensor(x, [B, window, 1])).toArray();
        origins.forEach((t, b) => {
          let level = values[t]!;
          for (let s = 0; s < steps; s++) {
            level += out[b * model.horizon + s]! * scaler.std + drifts[b]!;
            rows[b]![s] = level;
          }
        });
        return;
      }
      // Each origin's history, extended by its own forecasts.
      const histories = origins.map((t) => Array.from({ length: window + 1 }, (_, k) => values[t - window + k]!));
      for (let s = 0; s < steps; s++) {
        const x = new Float32Array(B * window);
        const drifts = histories.map((h, b) => windowInto(h, h.length - 1, window, scaler, x, b * window));
        const out = model.forward(tensor(x, [B, window, 1])).toArray();
        histories.forEach((h, b) => {
          const next = h[h.length - 1]! + out[b * model.horizon]! * scaler.std + drifts[b]!;
          h.push(next);
          rows[b]![s] = next;
        });
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return rows;
}

/** Errors at one horizon. */
export interface HorizonScore {
  horizon: number;
  /** Origins scored. */
  count: number;
  mae: number;
  rmse: number;
  mase: number;
}

/** A forecaster's scores per horizon 1..H, by method name. */
export type Scores = Record<string, HorizonScore[]>;

/**
 * Rolling-origin scores of forecasts `rows` (rows[o][h − 1] forecasts origins[o] + h) against
 * `values`, on targets in [testStart, values.length).
 */
export function scoreRows(values: ArrayLike<number>, origins: readonly number[], rows: readonly Float64Array[], testStart: number, horizons: number, scale: number): HorizonScore[] {
  const out: HorizonScore[] = [];
  for (let h = 1; h <= horizons; h++) {
    const truth: number[] = [];
    const pred: number[] = [];
    origins.forEach((t, o) => {
      const target = t + h;
      if (target < testStart || target >= values.length) return;
      truth.push(values[target]!);
      pred.push(rows[o]![h - 1]!);
    });
    if (truth.length === 0) continue;
    out.push({ horizon: h, count: truth.length, mae: meanAbsoluteError(truth, pred), rmse: rootMeanSquaredError(truth, pred), mase: meanAbsoluteScaledError(truth, pred, scale) });
  }
  return out;
}

/** A baseline's forecast rows at `origins`, `steps` ahead. */
export function baselineRows(baseline: Baseline, values: ArrayLike<number>, origins: readonly number[], steps: number): Float64Array[] {
  return origins.map((t) => Float64Array.from({ length: steps }, (_, s) => baseline.forecast(values, t, s + 1)));
}
