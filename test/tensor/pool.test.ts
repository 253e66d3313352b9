// The gradient buffer pool: what it hands out is zeroed, only its own arrays come back, it is
// bounded, and training that reuses its arrays gives the same parameters as training that does not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LSTM, Linear, SGD, crossEntropy, manualSeed, oneHot, tensor, type Tensor } from "recurrent";
import { clearPool, isLent, pooledByteCount, recycle, takeZeroed } from "../../src/tensor/pool.js";

test("takeZeroed reuses a recycled array of the same length, zeroed; foreign and repeated returns are ignored", () => {
  clearPool();
  const a = takeZeroed(1000);
  assert.ok(isLent(a));
  a.fill(7);
  recycle(a);
  assert.equal(isLent(a), false);
  assert.equal(pooledByteCount(), 4000);
  recycle(a); // already back: ignored
  assert.equal(pooledByteCount(), 4000);
  recycle(new Float32Array(1000)); // never lent: ignored
  assert.equal(pooledByteCount(), 4000);
  const b = takeZeroed(1000);
  assert.equal(b, a, "the same array comes back");
  assert.ok(b.every((v) => v === 0), "zeroed");
  assert.equal(pooledByteCount(), 0);
  assert.notEqual(takeZeroed(999), a, "another length gets a new array");
  clearPool();
});

test("the pool keeps at most 4 free arrays of one length", () => {
  clearPool();
  const arrays = Array.from({ length: 6 }, () => takeZeroed(256));
  for (const a of arrays) recycle(a);
  assert.equal(pooledByteCount(), 4 * 256 * 4);
  clearPool();
  assert.equal(pooledByteCount(), 0);
});

/** Parameters after `steps` SGD steps of a small char-LM, keeping or dropping gradients between steps. */
function train(keepGrads: boolean, steps: number): Float32Array[] {
  manualSeed(3);
  const [T, B, V, H] = [6, 4, 9, 16];
  const lstm = new LSTM({ inputSize: V, hiddenSize: H });
  const dense = new Linear({ inFeatures: H, outFeatures: V });
  const params: Tensor[] = [...lstm.parameters(), ...dense.parameters()];
  const opt = new SGD(params, { lr: 0.5, momentum: 0.9 });
  const idx = Int32Array.from({ length: T * B }, (_, i) => (i * 5) % V);
  const x = oneHot(idx, V, [T, B]);
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad(!keepGrads);
    crossEntropy(dense.forward(lstm.forward(x)[0].reshape([T * B, H])), idx).backward();
    opt.step();
  }
  return params.map((p) => p.data.slice());
}

test("training with pooled gradient arrays (zeroGrad(false)) gives the parameters of fresh arrays (zeroGrad())", () => {
  clearPool();
  const fresh = train(false, 5);
  const pooled = train(true, 5);
  assert.ok(pooledByteCount() > 0, "the backward's gradient arrays went back to the pool");
  fresh.forEach((f, i) => assert.deepEqual(pooled[i], f, `parameter ${i}`));
});

test("gradients passed through or shared between inputs stay separate arrays with the right values", () => {
  clearPool();
  // add hands the same gradient to both inputs; reshape passes its gradient straight through.
  const a = tensor(Float32Array.of(1, 2, 3, 4), [2, 2], { requiresGrad: true });
  const b = tensor(Float32Array.of(5, 6, 7, 8), [4], { requiresGrad: true });
  const w = tensor(Float32Array.of(1, -1, 2, 0.5), [2, 2], { requiresGrad: true });
  for (let round = 0; round < 3; round++) {
    a.grad = null;
    b.grad = null;
    w.grad = null;
    // (a + b as 2x2) · w, then both summed: the matmul's input gradient goes back through add to
    // a directly and through reshape to b.
    const s = a.add(b.reshape([2, 2])).matmul(w);
    s.sum().backward();
    assert.notEqual(a.grad!.data.buffer, b.grad!.data.buffer, "a and b own separate gradient arrays");
    // d(sum(S))/dX = 1 · wᵀ per row: rows of (w00 + w01, w10 + w11) = (0, 2.5).
    assert.deepEqual([...a.grad!.data], [0, 2.5, 0, 2.5]);
    assert.deepEqual([...b.grad!.data], [0, 2.5, 0, 2.5]);
    a.grad!.data[0] = 99; // writing one must not show in the other
    assert.equal(b.grad!.data[0], 0);
  }
});
