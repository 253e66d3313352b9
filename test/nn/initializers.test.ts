// Initializers: Keras's fans and scales checked statistically on large draws, the deterministic
// ones exactly, orthogonality, reproducibility by seed, configs and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, manualSeed, getInitializer, initializerNames, serializeInitializer, computeFans, initializers, type Tensor } from "recurrent";

function stats(t: Tensor): { mean: number; variance: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.data) {
    s += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / t.size;
  let q = 0;
  for (const v of t.data) q += (v - mean) ** 2;
  return { mean, variance: q / t.size, min, max };
}

test("computeFans follows Keras", () => {
  assert.deepEqual(computeFans([]), [1, 1]);
  assert.deepEqual(computeFans([7]), [7, 7]);
  assert.deepEqual(computeFans([30, 50]), [30, 50]);
  assert.deepEqual(computeFans([3, 5, 4, 8]), [60, 120]);
});

// (name, shape, expected variance, expected mean, "uniform" limit or "truncated" bound in sd)
const SHAPE = [400, 300];
const cases: [string, number, number, { limit?: number; truncSd?: number }][] = [
  ["glorotUniform", 2 / 700, 0, { limit: Math.sqrt(6 / 700) }],
  ["glorotNormal", 2 / 700, 0, { truncSd: 2 }],
  ["heNormal", 2 / 400, 0, { truncSd: 2 }],
  ["heUniform", 2 / 400, 0, { limit: Math.sqrt(6 / 400) }],
  ["lecunNormal", 1 / 400, 0, { truncSd: 2 }],
  ["lecunUniform", 1 / 400, 0, { limit: Math.sqrt(3 / 400) }],
  ["randomNormal", 0.05 ** 2, 0, {}],
  ["randomUniform", 0.1 ** 2 / 12, 0, { limit: 0.05 }],
  ["truncatedNormal", 0.05 ** 2 * 0.87962566103423978 ** 2, 0, { truncSd: 2 }],
];

for (const [name, variance, mean, bound] of cases) {
  test(`${name}: mean, variance and range of 120000 draws`, () => {
    const t = getInitializer(name).apply(SHAPE, new Generator(11));
    const s = stats(t);
    // 120000 draws: the sample mean's sd is √(var/n) ≈ 0.003·√var; allow 5 of those, and 2% on the variance.
    assert.ok(Math.abs(s.mean - mean) < 5 * Math.sqrt(variance / t.size), `${name}: mean ${s.mean}`);
    assert.ok(Math.abs(s.variance / variance - 1) < 0.02, `${name}: variance ${s.variance}, expected ${variance}`);
    if (bound.limit !== undefined) {
      assert.ok(s.min >= -bound.limit && s.max <= bound.limit, `${name}: range [${s.min}, ${s.max}] outside ±${bound.limit}`);
      assert.ok(s.max > 0.99 * bound.limit, `${name}: draws do not reach the limit`);
    }
    if (bound.truncSd !== undefined) {
      const sd = name === "truncatedNormal" ? 0.05 : Math.sqrt(variance) / 0.87962566103423978;
      assert.ok(s.min >= -2 * sd - 1e-7 && s.max <= 2 * sd + 1e-7, `${name}: [${s.min}, ${s.max}] beyond 2 sd (${sd})`);
      assert.ok(s.max > 1.95 * sd, `${name}: draws do not approach 2 sd`);
    }
  });
}

test("varianceScaling options, with Keras's snake_case values", () => {
  const init = getInitializer({ class_name: "VarianceScaling", config: { scale: 3, mode: "fan_out", distribution: "untruncated_normal", seed: null } });
  const s = stats(init.apply([200, 500], new Generator(3)));
  assert.ok(Math.abs(s.variance / (3 / 500) - 1) < 0.03, `variance ${s.variance}`);
  assert.deepEqual(init.getConfig(), { scale: 3, mode: "fanOut", distribution: "untruncatedNormal", seed: null });
  const avg = initializers.varianceScaling({ mode: "fanAvg", distribution: "uniform", scale: 2 });
  const limit = Math.sqrt((3 * 2) / 350);
  const t = avg.apply([200, 500], new Generator(4));
  assert.ok(stats(t).max <= limit && stats(t).max > 0.99 * limit);
});

test("zeros, ones, constant and identity are exact", () => {
  assert.deepEqual(getInitializer("zeros").apply([2, 3]).toArray(), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(getInitializer("Ones").apply([2]).toArray(), [1, 1]);
  assert.deepEqual(getInitializer({ className: "Constant", config: { value: 0.25 } }).apply([3]).toArray(), [0.25, 0.25, 0.25]);
  assert.deepEqual(initializers.identity({ gain: 2 }).apply([2, 3]).toArray(), [2, 0, 0, 0, 2, 0]);
  assert.deepEqual(getInitializer("identity").apply([3, 2]).toArray(), [1, 0, 0, 1, 0, 0]);
  assert.throws(() => getInitializer("identity").apply([2, 2, 2]), /Identity.apply: shape must be 2-D \(rows, cols\), got \[2, 2, 2\]/);
});

/** max |(AᵀA or AAᵀ) - gain²·I| for a (rows, cols) matrix, over its smaller Gram matrix. */
function orthogonalityError(a: Tensor, rows: number, cols: number, gain: number): number {
  const tall = rows >= cols;
  const n = tall ? cols : rows;
  const at = (i: number, j: number): number => a.data[i * cols + j]!;
  let worst = 0;
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      let s = 0;
      for (let k = 0; k < (tall ? rows : cols); k++) s += tall ? at(k, p) * at(k, q) : at(p, k) * at(q, k);
      worst = Math.max(worst, Math.abs(s - (p === q ? gain * gain : 0)));
    }
  }
  return worst;
}

for (const [shape, gain] of [
  [[64, 16], 1],
  [[16, 64], 1],
  [[32, 32], 1.7],
  [[4, 5, 12], 0.5],
] as const) {
  test(`orthogonal ${JSON.stringify(shape)} gain ${gain}: QᵀQ = gain²·I within 1e-5·gain²`, () => {
    const t = initializers.orthogonal({ gain }).apply([...shape], new Generator(5));
    assert.deepEqual(t.shape, shape);
    const cols = shape[shape.length - 1]!;
    const rows = t.size / cols;
    const err = orthogonalityError(t, rows, cols, gain);
    assert.ok(err < 1e-5 * gain * gain, `error ${err}`);
  });
}

test("orthogonal is sign-corrected: the same normal matrix gives Q with R's diagonal positive", () => {
  // QR with a positive diagonal of R is unique, so Q · (Qᵀ A) must give back A (R = QᵀA upper
  // triangular with a positive diagonal).
  const a = new Float64Array([2, -1, 0.5, 3, 1, -2, 0.1, 4, 1, 1, 1, 1]);
  const q = initializers.householderQ(a.slice(), 4, 3);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j <= i; j++) {
      let r = 0;
      for (let k = 0; k < 4; k++) r += q[k * 3 + i]! * a[k * 3 + j]!;
      if (j < i) assert.ok(Math.abs(r) < 1e-12, `R[${i}][${j}] = ${r}, expected 0 below the diagonal`);
      else assert.ok(r > 0, `R[${i}][${i}] = ${r}, expected positive`);
    }
  }
  assert.throws(() => initializers.orthogonal().apply([5]), /Orthogonal.apply: shape must have at least 2 dims, got \[5\]/);
});

test("seeds: a seeded initializer repeats itself; unseeded ones follow manualSeed", () => {
  for (const name of ["glorotUniform", "heNormal", "randomUniform", "truncatedNormal", "orthogonal"]) {
    const a = getInitializer({ className: name, config: { seed: 42 } });
    assert.deepEqual(a.apply([5, 4]).toArray(), a.apply([5, 4]).toArray(), `${name} with a seed`);
    const b = getInitializer({ className: name, config: { seed: 43 } });
    assert.notDeepEqual(a.apply([5, 4]).toArray(), b.apply([5, 4]).toArray(), `${name}: seeds 42 and 43`);
    const c = getInitializer(name);
    manualSeed(9);
    const first = c.apply([5, 4]).toArray();
    const next = c.apply([5, 4]).toArray();
    manualSeed(9);
    assert.deepEqual(c.apply([5, 4]).toArray(), first, `${name} after manualSeed`);
    assert.notDeepEqual(first, next);
    assert.deepEqual(a.apply([5, 4], new Generator(1)).toArray(), c.apply([5, 4], new Generator(1)).toArray(), `${name}: a generator argument wins`);
  }
});

test("configs round-trip through getInitializer, in TF.js and Keras spellings", () => {
  for (const name of initializerNames()) {
    const a = getInitializer(name);
    const b = getInitializer(serializeInitializer(a));
    assert.equal(b.className, a.className);
    assert.deepEqual(b.getConfig(), a.getConfig());
  }
  const g = getInitializer({ class_name: "GlorotUniform", config: { seed: 3 } });
  assert.deepEqual(serializeInitializer(g), { className: "GlorotUniform", config: { seed: 3 } });
  assert.equal(getInitializer("glorot_uniform").className, "GlorotUniform");
  assert.equal(getInitializer("he_normal").className, "HeNormal");
  assert.deepEqual(getInitializer({ className: "RandomNormal", config: { mean: 1, stddev: 2 } }).getConfig(), { mean: 1, stddev: 2, seed: null });
  const o = initializers.orthogonal({ gain: 2 });
  assert.equal(getInitializer(o), o);
});

test("errors name the initializer, the option and the known names", () => {
  assert.throws(() => getInitializer("glorotUnifrom"), /getInitializer: unknown initializer "glorotUnifrom" \(did you mean "glorotUniform"\?\); known initializers: zeros, ones, constant/);
  assert.throws(() => getInitializer({ className: "RandomNormal", config: { stdev: 1 } }), /RandomNormal: unknown option "stdev" \(did you mean "stddev"\?\)/);
  assert.throws(() => initializers.varianceScaling({ mode: "fanMiddle" as "fanIn" }), /VarianceScaling: option mode must be one of fanIn, fanOut, fanAvg, got "fanMiddle"/);
  assert.throws(() => initializers.randomUniform({ minval: 1, maxval: 0 }), /RandomUniform: maxval \(0\) must be >= minval \(1\)/);
  assert.throws(() => getInitializer({ config: {} } as unknown as string), /getInitializer: className must be a string, got undefined/);
  assert.throws(() => getInitializer("zeros").apply([2, -1]), /Zeros.apply: shape must hold non-negative integers, got -1 at dim 1 of \[2, -1\]/);
  assert.throws(() => initializers.glorotUniform({ seed: 1.5 }), /GlorotUniform: option seed must be an integer, got 1.5/);
});
