import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator } from "recurrent";
import {
  linearTrendSeasonal,
  meanAbsoluteError,
  meanAbsoluteScaledError,
  rootMeanSquaredError,
  seasonalNaiveDrift,
  seasonalNaiveScale,
  solveLinear,
} from "../../../src/data/series/index.js";

/** y_i = 300 + 0.1·i + a season of 12 levels: both baselines should be exact on it. */
function trendSeason(n: number): Float64Array {
  const season = [3, 2, 1, 0, -1, -2, -3, -2, -1, 0, 1, 2];
  return Float64Array.from({ length: n }, (_, i) => 300 + 0.1 * i + season[i % 12]!);
}

test("linearTrendSeasonal recovers a linear trend with a 12-month season exactly", () => {
  const v = trendSeason(120);
  const b = linearTrendSeasonal(v, 24, 96);
  assert.ok(Math.abs(b.slope - 0.1) < 1e-9, String(b.slope));
  for (const [t, h] of [[95, 1], [95, 12], [100, 7], [95, 24]] as const) assert.ok(Math.abs(b.forecast(v, t, h) - v[t + h]!) < 1e-8);
});

test("seasonalNaiveDrift is exact on a linear trend with a season, at every horizon", () => {
  const v = trendSeason(120);
  const b = seasonalNaiveDrift(v, 36, 96);
  for (let h = 1; h <= 24; h++) assert.ok(Math.abs(b.forecast(v, 95, h) - v[95 + h]!) < 1e-9, `h=${h}`);
  assert.throws(() => seasonalNaiveDrift(v, 90, 96), /more than m=12 values/);
});

test("solveLinear: the residual of a random well-conditioned system is tiny", () => {
  const g = new Generator(1);
  const n = 9;
  const a = Float64Array.from({ length: n * n }, (_, k) => g.normal() + (k % (n + 1) === 0 ? 5 : 0));
  const b = Float64Array.from({ length: n }, () => g.normal());
  const x = solveLinear(a, b, n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += a[r * n + c]! * x[c]!;
    assert.ok(Math.abs(s - b[r]!) < 1e-10);
  }
  assert.throws(() => solveLinear(new Float64Array([1, 2, 2, 4]), new Float64Array([1, 1]), 2), /singular/);
});

test("MAE, RMSE and MASE on a small case, and their argument checks", () => {
  const truth = [1, 2, 3, 4];
  const pred = [2, 2, 1, 4];
  assert.equal(meanAbsoluteError(truth, pred), 3 / 4);
  assert.equal(rootMeanSquaredError(truth, pred), Math.sqrt(5 / 4));
  // In-sample seasonal naive with m = 2 on [1, 3, 2, 6]: |2-1| and |6-3| -> scale 2.
  assert.equal(seasonalNaiveScale([1, 3, 2, 6], 2), 2);
  assert.equal(meanAbsoluteScaledError(truth, pred, 2), 3 / 8);
  assert.throws(() => meanAbsoluteError([1], [1, 2]), /same non-zero length, got 1 and 2/);
  assert.throws(() => meanAbsoluteScaledError(truth, pred, 0), /scale must be positive/);
});
