/**
 * Axis ticks on the 1-2-5 ladder.
 *
 * Linear rule (`niceTicks`): the step is the smallest of 1, 2 or 5 × 10^k for which the data range,
 * widened outward to multiples of the step, spans at most `maxIntervals` steps. The axis domain is
 * that widened range, so the first and last ticks sit on the plot's edges.
 * Example: 0..10 with maxIntervals 5..9 gives 0, 2, 4, 6, 8, 10; with maxIntervals 2..4 it gives 0, 5, 10.
 * A range across zero always gets at least two intervals (one interval cannot hold both signs).
 *
 * Log rule (`logTicks`): first try every 1, 2, 5 × 10^k value (… 0.5, 1, 2, 5, 10, 20 …) from the
 * largest one <= lo to the smallest one >= hi; if that takes more than `maxIntervals` steps, use
 * powers of ten only, every 1, 2, 5, 10 … decades. Example: 5..27 gives 5, 10, 20, 50; 1..1000
 * with maxIntervals 6 gives 1, 10, 100, 1000.
 */

export interface AxisTick {
  value: number;
  label: string;
}

export interface TickSet {
  /** Lower end of the axis domain (the first tick). */
  lo: number;
  /** Upper end of the axis domain (the last tick). */
  hi: number;
  ticks: AxisTick[];
}

const MANTISSAS = [1, 2, 5] as const;
/** Relative slack for quotients such as 0.3 / 0.1 = 2.9999999999999996 that should count as whole. */
const EPS = 1e-9;

function nearInteger(q: number): number | null {
  const r = Math.round(q);
  return Math.abs(q - r) <= EPS * Math.abs(q) ? r : null;
}

function floorWhole(q: number): number {
  return nearInteger(q) ?? Math.floor(q);
}

function ceilWhole(q: number): number {
  return nearInteger(q) ?? Math.ceil(q);
}

/**
 * n × 10^k as the double nearest the decimal `${n}e${k}` (0.3, not the 0.30000000000000004 that
 * 3 × 0.1 gives; 1e-25, not the 9.999999999999999e-26 that 1 / 10^25 gives, since 10^25 is not a
 * double), so labels and equality checks stay clean at every exponent.
 */
function scaled(n: number, k: number): number {
  return Number(`${n}e${k}`);
}

/** Shortest form, with an exponent outside [1e-4, 1e6): "0.25", "1e-5", "2.5e6". */
export function formatNumber(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential().replace("e+", "e");
  return String(v);
}

/**
 * At least one interval, and two when the range spans zero: no single interval with ends on
 * multiples of a step holds both signs, so asking for one would never be satisfied.
 */
function clampIntervals(maxIntervals: number, lo: number, hi: number): number {
  const least = lo < 0 && hi > 0 ? 2 : 1;
  return Number.isFinite(maxIntervals) ? Math.max(least, Math.floor(maxIntervals)) : least;
}

/** Linear ticks; see the file comment for the rule. A zero-width range is widened around its value. */
export function niceTicks(lo: number, hi: number, maxIntervals: number): TickSet {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`niceTicks: lo and hi must be finite, got ${lo} and ${hi}`);
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi = lo + 2 * pad;
  }
  const n = clampIntervals(maxIntervals, lo, hi);
  // Steps below span / n cannot fit in n intervals, so the search starts one decade under that.
  let k = Math.floor(Math.log10((hi - lo) / n)) - 1;
  for (;;) {
    for (const m of MANTISSAS) {
      const step = scaled(m, k);
      const first = floorWhole(lo / step);
      const last = ceilWhole(hi / step);
      if (last - first <= n) return linearSet(first, last, m, k);
    }
    k++;
  }
}

function linearSet(first: number, last: number, m: number, k: number): TickSet {
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(scaled(i * m, k));
  const lo = values[0];
  const hi = values[values.length - 1];
  const big = Math.max(Math.abs(lo), Math.abs(hi)) >= 1e6;
  const tiny = scaled(m, k) < 1e-4;
  const decimals = Math.max(0, -k);
  const ticks = values.map((value) => ({
    value,
    label: big || tiny ? formatNumber(value) : value.toFixed(decimals),
  }));
  return { lo, hi, ticks };
}

function decadeOf(v: number): number {
  return floorWhole(Math.log10(v));
}

/** Every 1, 2, 5 × 10^k value in [a, b], a and b themselves on that ladder. */
function ladderValues(a: number, b: number): number[] {
  const out: number[] = [];
  for (let k = decadeOf(a); k <= decadeOf(b); k++) {
    for (const m of MANTISSAS) {
      const v = scaled(m, k);
      if (v >= a * (1 - EPS) && v <= b * (1 + EPS)) out.push(v);
    }
  }
  return out;
}

function ladderBelow(v: number): number {
  const k = decadeOf(v);
  for (const m of [5, 2, 1]) {
    const c = scaled(m, k);
    if (c <= v * (1 + EPS)) return c;
  }
  return scaled(5, k - 1);
}

function ladderAbove(v: number): number {
  const k = decadeOf(v);
  for (const m of [1, 2, 5]) {
    const c = scaled(m, k);
    if (c >= v * (1 - EPS)) return c;
  }
  return scaled(1, k + 1);
}

/** Log-axis ticks; see the file comment for the rule. Both ends must be positive. */
export function logTicks(lo: number, hi: number, maxIntervals: number): TickSet {
  if (!(lo > 0) || !(hi > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new RangeError(`logTicks: lo and hi must be finite and > 0, got ${lo} and ${hi}`);
  }
  if (!(hi > lo)) {
    lo /= 2;
    hi *= 2;
  }
  const ladder = ladderValues(ladderBelow(lo), ladderAbove(hi));
  if (ladder.length - 1 <= clampIntervals(maxIntervals, 1, 1)) return logSet(ladder);
  const kLo = decadeOf(lo);
  const kHi = ceilWhole(Math.log10(hi));
  const n = clampIntervals(maxIntervals, kLo, kHi);
  for (let e = 0; ; e++) {
    for (const m of MANTISSAS) {
      const s = scaled(m, e);
      const first = Math.floor(kLo / s);
      const last = Math.ceil(kHi / s);
      if (last - first <= n) {
        const values: number[] = [];
        for (let i = first; i <= last; i++) values.push(scaled(1, i * s));
        return logSet(values);
      }
    }
  }
}

function logSet(values: number[]): TickSet {
  return {
    lo: values[0],
    hi: values[values.length - 1],
    ticks: values.map((value) => ({ value, label: formatNumber(value) })),
  };
}

/**
 * Ticks for the indices 0..count-1 of a grid axis: multiples of the smallest integer 1-2-5 step
 * that needs at most `maxIntervals` steps to reach count-1. The domain is not widened.
 */
export function integerTicks(count: number, maxIntervals: number): AxisTick[] {
  const n = clampIntervals(maxIntervals, 0, 0);
  const last = count - 1;
  let step = 1;
  for (let k = 0; step * n < last; k++) {
    for (const m of MANTISSAS) {
      step = scaled(m, k);
      if (step * n >= last) break;
    }
  }
  const ticks: AxisTick[] = [];
  for (let v = 0; v <= last; v += step) ticks.push({ value: v, label: String(v) });
  return ticks;
}
