// clipGradNorm / clipGradValue semantics; the PyTorch comparison lives in golden.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clipGradNorm, clipGradValue, type GradHolder } from "../../src/optim/index.js";

function holders(...grads: (number[] | null)[]): GradHolder[] {
  return grads.map((g) => ({ grad: g === null ? null : { data: Float32Array.from(g) } }));
}

function values(h: GradHolder): number[] {
  assert.ok(h.grad !== null);
  return Array.from(h.grad.data);
}

test("clipGradNorm: joint 2-norm over all gradients, scaled by maxNorm / (norm + 1e-6)", () => {
  const ps = holders([3, 4], null, [12]);
  const total = clipGradNorm(ps, 1);
  assert.equal(total, 13);
  const coef = Math.fround(1 / Math.fround(13 + Math.fround(1e-6)));
  assert.deepEqual(values(ps[0]), [Math.fround(3 * coef), Math.fround(4 * coef)]);
  assert.deepEqual(values(ps[2]), [Math.fround(12 * coef)]);
  assert.equal(ps[1].grad, null);
  const after = Math.hypot(...values(ps[0]), ...values(ps[2]));
  assert.ok(after < 1 && after > 1 - 1e-6, `norm after clipping is ${after}`);
});

test("clipGradNorm: gradients already within maxNorm are left untouched", () => {
  const ps = holders([0.1, -0.2], [0.3]);
  const before = ps.map(values);
  const total = clipGradNorm(ps, 1);
  assert.ok(Math.abs(total - Math.hypot(Math.fround(0.1), Math.fround(0.2), Math.fround(0.3))) < 1e-15);
  assert.deepEqual(ps.map(values), before);
});

test("clipGradNorm: the norm is accumulated in float64", () => {
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 needs more bits than float32 has: a float32 running sum
  // would drop the last term, the float64 one keeps the sum exact.
  const x = 1 + 2 ** -12;
  const n = 4096;
  const total = clipGradNorm(holders(new Array<number>(n).fill(x)), 1e9);
  assert.equal(total, Math.sqrt(n * x * x));
});

test("clipGradNorm: normType Infinity uses the largest |g|, other p-norms too", () => {
  const inf = holders([1, -5], [2]);
  assert.equal(clipGradNorm(inf, 2.5, Infinity), 5);
  const coef = Math.fround(Math.fround(2.5) / Math.fround(5 + Math.fround(1e-6)));
  assert.deepEqual(values(inf[0]), [Math.fround(coef), Math.fround(-5 * coef)]);

  assert.equal(clipGradNorm(holders([1, -5], [2]), 100, 1), 8);
  assert.ok(Math.abs(clipGradNorm(holders([1, -5], [2]), 100, 3) - Math.cbrt(1 + 125 + 8)) < 1e-12);
});

test("clipGradNorm: no gradients at all gives 0 and changes nothing", () => {
  assert.equal(clipGradNorm(holders(null, null), 1), 0);
  assert.equal(clipGradNorm([], 1), 0);
});

test("clipGradNorm: a non-finite norm throws by default", () => {
  assert.throws(
    () => clipGradNorm(holders([1, NaN]), 1),
    /^RangeError: clipGradNorm: the total gradient norm is NaN; a loss or gradient is not finite$/,
  );
  assert.throws(() => clipGradNorm(holders([1], [-Infinity]), 1), /clipGradNorm: the total gradient norm is Infinity/);
  assert.throws(() => clipGradNorm(holders([NaN, 1]), 1, Infinity), /the total gradient norm is NaN/);
  const ps = holders([1, NaN]);
  assert.throws(() => clipGradNorm(ps, 1));
  assert.ok(Number.isNaN(values(ps[0])[1]) && values(ps[0])[0] === 1, "gradients changed before the error");
});

test("clipGradNorm: errorIfNonfinite false scales by the non-finite norm, as PyTorch does", () => {
  const nan = holders([1, NaN]);
  assert.ok(Number.isNaN(clipGradNorm(nan, 1, 2, { errorIfNonfinite: false })));
  assert.ok(values(nan[0]).every(Number.isNaN));
  const inf = holders([1, Infinity], [2]);
  assert.equal(clipGradNorm(inf, 1, 2, { errorIfNonfinite: false }), Infinity);
  assert.deepEqual(values(inf[1]), [0]);
  assert.equal(values(inf[0])[0], 0);
  assert.ok(Number.isNaN(values(inf[0])[1]), "Infinity times 0 is NaN");
});

test("clipGradNorm: bad arguments are refused", () => {
  assert.throws(() => clipGradNorm(holders([1]), 0), /clipGradNorm: maxNorm must be a positive number, got 0/);
  assert.throws(() => clipGradNorm(holders([1]), NaN), /clipGradNorm: maxNorm must be a positive number, got NaN/);
  assert.throws(() => clipGradNorm(holders([1]), 1, 0), /clipGradNorm: normType must be a positive number or Infinity, got 0/);
  assert.throws(() => clipGradNorm(holders([1]), 1, -Infinity), /normType must be a positive number or Infinity, got -Infinity/);
});

test("clipGradValue clamps each element into [-clipValue, clipValue] and keeps NaN", () => {
  const ps = holders([-3, -0.5, 0, 0.5, 3, NaN], null);
  clipGradValue(ps, 1);
  const v = values(ps[0]);
  assert.deepEqual(v.slice(0, 5), [-1, -0.5, 0, 0.5, 1]);
  assert.ok(Number.isNaN(v[5]));
  assert.equal(ps[1].grad, null);
  assert.throws(() => clipGradValue(ps, -1), /clipGradValue: clipValue must be a number >= 0, got -1/);
  assert.throws(() => clipGradValue(ps, NaN), /clipGradValue: clipValue must be a number >= 0, got NaN/);
});

test("clipping checks its arguments: entries that are not parameters, bad norms, bounded descriptions", () => {
  assert.throws(() => clipGradNorm([null] as unknown as GradHolder[], 1), /^TypeError: clipGradNorm: params\[0\] must be a parameter whose grad is null or holds a Float32Array, got null$/);
  assert.throws(() => clipGradValue([{ grad: { data: [1, 2] } }] as unknown as GradHolder[], 1), /clipGradValue: params\[0\] must be a parameter whose grad is null or holds a Float32Array, got an object/);
  assert.throws(() => clipGradNorm([], NaN), /clipGradNorm: maxNorm must be a positive number, got NaN/);
  assert.throws(() => clipGradNorm("x".repeat(100_000) as unknown as GradHolder[], 1), (e: unknown) => e instanceof TypeError && e.message.length < 200);
});
