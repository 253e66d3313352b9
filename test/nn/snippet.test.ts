// The README's example, as written, imported by package name as a user's script would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, LSTM, GRU, manualSeed } from "recurrent";

test("README snippet: bidirectional 2-layer LSTM and batch-first GRU", () => {
  manualSeed(0);
  const lstm = new LSTM({ inputSize: 10, hiddenSize: 20, numLayers: 2, bidirectional: true });
  const x = tensor(new Float32Array(5 * 3 * 10).fill(0.1), [5, 3, 10], { requiresGrad: true });
  const [out, [hN, cN]] = lstm.forward(x); // out: [5, 3, 40], hN/cN: [4, 3, 20]
  const w = tensor(new Float32Array(5 * 3 * 40).fill(0.5), [5, 3, 40]);
  out.mul(w).sum().add(hN.sum()).backward();
  assert.deepEqual(out.shape, [5, 3, 40]);
  assert.deepEqual(hN.shape, [4, 3, 20]);
  assert.deepEqual(cN.shape, [4, 3, 20]);
  assert.ok(x.grad !== null && x.grad.data.some((v) => v !== 0));
  const wih = lstm.stateDict()["weight_ih_l0"]!;
  assert.ok(wih.grad !== null && wih.grad.data.every(Number.isFinite) && wih.grad.data.some((v) => v !== 0));
  const gru = new GRU({ inputSize: 10, hiddenSize: 20, batchFirst: true });
  const [y, h] = gru.forward(tensor(new Float32Array(3 * 5 * 10), [3, 5, 10]));
  assert.deepEqual(y.shape, [3, 5, 20]);
  assert.deepEqual(h.shape, [1, 3, 20]);
});

test("manualSeed makes initialisation repeatable", () => {
  manualSeed(42);
  const a = new LSTM({ inputSize: 3, hiddenSize: 4 }).stateDict()["weight_hh_l0"]!.toArray();
  manualSeed(42);
  const b = new LSTM({ inputSize: 3, hiddenSize: 4 }).stateDict()["weight_hh_l0"]!.toArray();
  manualSeed(43);
  const c = new LSTM({ inputSize: 3, hiddenSize: 4 }).stateDict()["weight_hh_l0"]!.toArray();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // PyTorch's default init: U(-1/sqrt(H), 1/sqrt(H)).
  assert.ok(a.every((v) => Math.abs(v) <= 0.5));
});
