// The README's "Activations, initializers, regularizers, constraints and ops" example, as written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getActivation, getInitializer, regularizers, constraints, topk, tensor } from "recurrent";

test("README: activations, initializers, regularizers, constraints and ops", () => {
  const act = getActivation("hardSigmoid"); // Keras 2 / TF.js: clip(0.2x + 0.5, 0, 1)
  const w = getInitializer({ className: "Orthogonal", config: { gain: 1, seed: 1 } }).apply([20, 80]);
  const penalty = regularizers.l2(0.01).penalty(w); // 0-d tensor on the tape
  constraints.maxNorm({ maxValue: 2 }).apply(w); // in place, after an optimiser step
  const [values, indices] = topk(tensor([[3, 1, 2]]), 2); // indices are float32 whole numbers

  assert.deepEqual(act(tensor([-3, 0, 1])).toArray(), [0, 0.5, Math.fround(0.7)]);
  // Rows of a (20, 80) orthogonal matrix are orthonormal, so Σw² = 20.
  assert.ok(Math.abs(penalty.item() - 0.2) < 1e-5);
  assert.deepEqual(values.toArray(), [3, 2]);
  assert.deepEqual(indices.toArray(), [0, 2]);
});
