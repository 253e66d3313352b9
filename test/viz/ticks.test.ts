import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber, integerTicks, logTicks, niceTicks } from "../../src/viz/ticks.js";
import { Generator } from "../../src/tensor/random.js";

const values = (s: { ticks: { value: number }[] }): number[] => s.ticks.map((t) => t.value);
const labels = (s: { ticks: { label: string }[] }): string[] => s.ticks.map((t) => t.label);

test("niceTicks: 0..10 gives steps of 2 when 5 intervals are allowed, 5 when only 2..4 are", () => {
  assert.deepEqual(values(niceTicks(0, 10, 5)), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(values(niceTicks(0, 10, 9)), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(values(niceTicks(0, 10, 4)), [0, 5, 10]);
  assert.deepEqual(values(niceTicks(0, 10, 2)), [0, 5, 10]);
  assert.deepEqual(values(niceTicks(0, 10, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(labels(niceTicks(0, 10, 5)), ["0", "2", "4", "6", "8", "10"]);
});

test("niceTicks widens the domain outward to whole steps", () => {
  const s = niceTicks(0.3, 9.2, 5);
  assert.equal(s.lo, 0);
  assert.equal(s.hi, 10);
  assert.deepEqual(values(niceTicks(-3, 7, 5)), [-5, 0, 5, 10]);
});

test("niceTicks: decimal ticks are the doubles of their decimal literals, labelled with fixed decimals", () => {
  const s = niceTicks(0.1, 0.7, 6);
  assert.deepEqual(values(s), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  assert.deepEqual(labels(s), ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"]);
  assert.deepEqual(labels(niceTicks(0, 1, 2)), ["0.0", "0.5", "1.0"]);
});

test("niceTicks uses exponents for very large and very small steps", () => {
  assert.deepEqual(labels(niceTicks(0, 3e6, 3)), ["0", "1e6", "2e6", "3e6"]);
  assert.deepEqual(labels(niceTicks(0, 2e-5, 2)), ["0", "1e-5", "2e-5"]);
});

test("niceTicks widens a zero-width range around its value", () => {
  for (const v of [0, 5, -3, 1e-9]) {
    const s = niceTicks(v, v, 4);
    assert.ok(s.lo < v && s.hi > v, `${v}: [${s.lo}, ${s.hi}]`);
  }
});

test("niceTicks: random ranges get evenly spaced 1-2-5 ticks that cover the range", () => {
  const g = new Generator(7);
  for (let trial = 0; trial < 500; trial++) {
    const scale = 10 ** g.randint(-6, 7);
    const a = g.uniformRange(-1, 1) * scale;
    const b = a + g.uniform() * scale + 1e-12;
    // One interval cannot hold both signs, so a range across zero may take two.
    const n = Math.max(g.randint(1, 12), a < 0 && b > 0 ? 2 : 1);
    const s = niceTicks(a, b, n);
    const v = values(s);
    assert.ok(v.length >= 2 && v.length - 1 <= n, `${a}..${b} n=${n}: ${v}`);
    assert.ok(s.lo <= a && s.hi >= b, `${a}..${b} not covered by [${s.lo}, ${s.hi}]`);
    const step = v[1] - v[0];
    const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
    assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `step ${step}`);
    for (let i = 1; i < v.length; i++) assert.ok(Math.abs(v[i] - v[i - 1] - step) <= step * 1e-9);
    // Smallest such step: the next smaller 1-2-5 step would need more than n intervals.
    const smaller = mantissa > 1.5 ? (mantissa > 3 ? 2 : 1) * (step / mantissa) : 5 * (step / mantissa / 10);
    assert.ok(Math.ceil(b / smaller - 1e-9) - Math.floor(a / smaller + 1e-9) > n, `${a}..${b} n=${n}: step ${step} not minimal`);
  }
});

test("logTicks: a 1-2-5 ladder over short ranges, powers of ten over long ones", () => {
  assert.deepEqual(values(logTicks(5, 27, 6)), [5, 10, 20, 50]);
  assert.deepEqual(values(logTicks(1, 1000, 6)), [1, 10, 100, 1000]);
  assert.deepEqual(values(logTicks(1, 1000, 9)), [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]);
  assert.deepEqual(values(logTicks(0.003, 0.04, 6)), [0.002, 0.005, 0.01, 0.02, 0.05]);
  const wide = logTicks(1e-5, 1e5, 4);
  assert.deepEqual(values(wide), [1e-5, 1, 1e5]);
  assert.deepEqual(labels(wide), ["1e-5", "1", "100000"]);
  const one = logTicks(7, 7, 5);
  assert.ok(one.lo < 7 && one.hi > 7);
});

test("logTicks rejects non-positive ends", () => {
  assert.throws(() => logTicks(0, 10, 5), /logTicks: lo and hi must be finite and > 0, got 0 and 10/);
});

test("integerTicks: indices on a 1-2-5 integer step, never past count-1", () => {
  assert.deepEqual(values({ ticks: integerTicks(16, 8) }), [0, 2, 4, 6, 8, 10, 12, 14]);
  assert.deepEqual(values({ ticks: integerTicks(1, 5) }), [0]);
  assert.deepEqual(values({ ticks: integerTicks(5, 10) }), [0, 1, 2, 3, 4]);
  assert.deepEqual(values({ ticks: integerTicks(1000, 9) }), [0, 200, 400, 600, 800]);
});

test("formatNumber: plain in [1e-4, 1e6), exponent outside", () => {
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(0.25), "0.25");
  assert.equal(formatNumber(123456), "123456");
  assert.equal(formatNumber(2.5e6), "2.5e6");
  assert.equal(formatNumber(-3e-7), "-3e-7");
});

test("logTicks: random positive ranges are covered by at most maxIntervals steps (two across 1)", () => {
  const g = new Generator(11);
  for (let trial = 0; trial < 500; trial++) {
    const a = 10 ** g.uniformRange(-12, 12);
    const b = a * 10 ** (g.uniform() * 20);
    const n = g.randint(1, 10);
    const s = logTicks(a, b, n);
    const v = values(s);
    assert.ok(s.lo <= a * (1 + 1e-12) && s.hi >= b * (1 - 1e-12), `${a}..${b} not covered by [${s.lo}, ${s.hi}]`);
    const crossesOne = Math.floor(Math.log10(a)) < 0 && Math.ceil(Math.log10(b)) > 0;
    assert.ok(v.length - 1 <= Math.max(n, crossesOne ? 2 : 1), `${a}..${b} n=${n}: ${v}`);
    for (let i = 1; i < v.length; i++) assert.ok(v[i] > v[i - 1]);
  }
});

test("logTicks: labels of far decades are exact powers of ten (10^25 is not a double)", () => {
  const set = logTicks(1e-40, 1, 8);
  for (const t of set.ticks) assert.match(t.label, /^(1|1e-\d+)$/, `label ${t.label}`);
  assert.ok(set.ticks.some((t) => t.label === "1e-25" || t.label === "1e-30" || t.label === "1e-20"));
});
