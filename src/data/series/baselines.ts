/**
 * Two classical baselines for a monthly (seasonal) series, each fitted on a training part and
 * then asked for the value at index `t + h` from a forecast origin `t` (the last index known):
 *
 * - seasonal naive with drift: ŷ_{t+h} = y_{t+h−m·k} + m·k·δ with k = ⌈h/m⌉, the same month
 *   k seasons back plus the drift since then; δ is the mean seasonal difference (y_i − y_{i−m}) / m
 *   over the fit range, so that the season itself does not leak into the drift;
 * - linear trend + seasonality: ŷ_i = b·i + a_{i mod m}, least squares over the fit range (one
 *   level per month of the season and a common slope).
 */

/** A fitted baseline: the forecast of index `t + h` made at origin `t` from the known `values[0..t]`. */
export interface Baseline {
  readonly name: string;
  forecast(values: ArrayLike<number>, t: number, h: number): number;
}

function checkRange(where: string, n: number, from: number, to: number, m: number): void {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= n && to - from > m)) {
    throw new Error(`${where}: the fit range [${from}, ${to}) must lie in [0, ${n}) and hold more than m=${m} values`);
  }
}

/** Seasonal naive with the drift of `values[from..to)` (per step, from seasonal differences), season length `m`. */
export function seasonalNaiveDrift(values: ArrayLike<number>, from: number, to: number, m = 12): Baseline {
  checkRange("seasonalNaiveDrift", values.length, from, to, m);
  let sum = 0;
  for (let i = from + m; i < to; i++) sum += values[i]! - values[i - m]!;
  const drift = sum / (to - from - m) / m;
  return {
    name: "seasonal naive + drift",
    forecast(v, t, h) {
      const k = Math.ceil(h / m);
      const src = t + h - m * k;
      if (src < 0 || src > t) throw new Error(`seasonalNaiveDrift.forecast: origin ${t} and horizon ${h} need index ${src}`);
      return v[src]! + m * k * drift;
    },
  };
}

/** Solves the square system A x = b (n×n, row-major) by Gaussian elimination with partial pivoting. */
export function solveLinear(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const A = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c]!) > Math.abs(A[p * n + c]!)) p = r;
    if (Math.abs(A[p * n + c]!) < 1e-12) throw new Error(`solveLinear: the system is singular (column ${c})`);
    if (p !== c) {
      for (let k = 0; k < n; k++) [A[c * n + k], A[p * n + k]] = [A[p * n + k]!, A[c * n + k]!];
      [x[c], x[p]] = [x[p]!, x[c]!];
    }
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c]! / A[c * n + c]!;
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r * n + k] = A[r * n + k]! - f * A[c * n + k]!;
      x[r] = x[r]! - f * x[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < n; k++) s -= A[r * n + k]! * x[k]!;
    x[r] = s / A[r * n + r]!;
  }
  return x;
}

/** Linear trend plus one level per season position, least squares over `values[from..to)`; index i's season is i mod m. */
export function linearTrendSeasonal(values: ArrayLike<number>, from: number, to: number, m = 12): Baseline & { slope: number; levels: Float64Array } {
  checkRange("linearTrendSeasonal", values.length, from, to, m);
  // Unknowns: m levels, then the slope; features of row i: one-hot(i mod m), i − from (centred for conditioning).
  const n = m + 1;
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(n);
  for (let i = from; i < to; i++) {
    const s = i % m;
    const u = i - from;
    const y = values[i]!;
    ata[s * n + s] = ata[s * n + s]! + 1;
    ata[s * n + m] = ata[s * n + m]! + u;
    ata[m * n + s] = ata[m * n + s]! + u;
    ata[m * n + m] = ata[m * n + m]! + u * u;
    atb[s] = atb[s]! + y;
    atb[m] = atb[m]! + u * y;
  }
  const coef = solveLinear(ata, atb, n);
  const slope = coef[m]!;
  const levels = coef.slice(0, m);
  return {
    name: "linear trend + seasonality",
    slope,
    levels,
    forecast(_v, t, h) {
      const i = t + h;
      return levels[i % m]! + slope * (i - from);
    },
  };
}
