// Accuracy of the SIMD exp, sigmoid and tanh the fused kernels use, against Math on a dense grid.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Arena } from "../../src/backends/wasm/arena.js";
import { compileKernels, instantiateKernels } from "../../src/backends/wasm/module.js";

const kernels = instantiateKernels(compileKernels());
const arena = new Arena(kernels.memory);

/** Runs one of the array kernels on `input` and returns its output. */
function apply(fn: (n: number, src: number, dst: number) => void, input: Float32Array): Float32Array {
  arena.reset(kernels.heapBase());
  const src = arena.alloc(input.length);
  const dst = arena.alloc(input.length);
  const view = arena.view();
  view.set(input, src / 4);
  fn(input.length, src, dst);
  return view.slice(dst / 4, dst / 4 + input.length);
}

/** n + 3 points evenly over [lo, hi]; the extra 3 leave a tail that runs the one-lane path. */
function grid(lo: number, hi: number, n: number): Float32Array {
  const g = new Float32Array(n + 3);
  for (let i = 0; i < g.length; i++) g[i] = lo + ((hi - lo) * i) / (g.length - 1);
  return g;
}

function maxError(out: Float32Array, input: Float32Array, ref: (x: number) => number, relative: boolean): number {
  let worst = 0;
  for (let i = 0; i < input.length; i++) {
    const e = ref(input[i]!);
    if (relative && e === 0) continue;
    const err = Math.abs(out[i]! - e) / (relative ? Math.abs(e) : 1);
    worst = Math.max(worst, err);
  }
  return worst;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

test("tanh is within 2e-7 of Math.tanh over [-20, 20] and keeps relative accuracy near 0", () => {
  const x = grid(-20, 20, 1_000_000);
  assert.ok(maxError(apply(kernels.tanhArray, x), x, Math.tanh, false) <= 2e-7);
  const small = grid(-1e-3, 1e-3, 10_000);
  assert.ok(maxError(apply(kernels.tanhArray, small), small, Math.tanh, true) <= 3e-7);
});

test("sigmoid is within 2e-7 of 1 / (1 + e^-x) over [-40, 40]", () => {
  const x = grid(-40, 40, 1_000_000);
  assert.ok(maxError(apply(kernels.sigmoidArray, x), x, sigmoid, false) <= 2e-7);
});

test("exp is within 3e-7 relative of Math.exp over [-87, 88]", () => {
  const x = grid(-87, 88, 1_000_000);
  assert.ok(maxError(apply(kernels.expArray, x), x, Math.exp, true) <= 3e-7);
});

test("non-finite inputs: NaN stays NaN, infinities saturate", () => {
  const x = Float32Array.of(NaN, Infinity, -Infinity, 0, -0);
  const t = apply(kernels.tanhArray, x);
  assert.ok(Number.isNaN(t[0]));
  assert.deepEqual([...t.subarray(1)], [1, -1, 0, -0]);
  const s = apply(kernels.sigmoidArray, x);
  assert.ok(Number.isNaN(s[0]));
  assert.equal(s[1], 1);
  assert.ok(s[2]! >= 0 && s[2]! < 1e-37);
  assert.equal(s[3], 0.5);
});
