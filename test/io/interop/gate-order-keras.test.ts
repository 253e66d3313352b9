// The Keras-layout conversions of the gate-order map: kernels (rows, G) with gates as column
// blocks in Keras's order to PyTorch weights (G, rows) in PyTorch's order, biases, and back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kerasKernelToPytorch, pytorchWeightToKeras, convertGateBias } from "recurrent";

test("a GRU kernel's z|r|h column blocks become r|z|n row blocks, and back", () => {
  // (rows 2, G 3) with H = 1: columns z, r, h.
  const keras = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const torch = kerasKernelToPytorch("gru", keras, 2, 3);
  assert.deepEqual([...torch], [2, 5, 1, 4, 3, 6]); // rows r = (2, 5), z = (1, 4), n = (3, 6)
  assert.deepEqual([...pytorchWeightToKeras("gru", torch, 3, 2)], [...keras]);
  assert.deepEqual([...kerasKernelToPytorch("gru_reset_before", keras, 2, 3)], [...torch]);
});

test("LSTM's orders agree (i|f|c|o is i|f|g|o): the conversion is a transpose", () => {
  const keras = Float32Array.from({ length: 3 * 8 }, (_, k) => k);
  const torch = kerasKernelToPytorch("lstm", keras, 3, 8);
  for (let r = 0; r < 3; r++) for (let g = 0; g < 8; g++) assert.equal(torch[g * 3 + r], keras[r * 8 + g]);
  assert.deepEqual([...convertGateBias("lstm", "keras", "pytorch", Float32Array.from([1, 2, 3, 4]))], [1, 2, 3, 4]);
  assert.deepEqual([...convertGateBias("gru", "keras", "pytorch", Float32Array.from([1, 2, 3]))], [2, 1, 3]);
});

test("sizes that do not fit are refused with the function named", () => {
  assert.throws(() => kerasKernelToPytorch("lstm", new Float32Array(6), 2, 4), /kerasKernelToPytorch: data has 6 values but the shape needs 2 x 4 = 8/);
  assert.throws(() => pytorchWeightToKeras("gru", new Float32Array(6), 4, 2), /pytorchWeightToKeras: data has 6 values but the shape needs 4 x 2 = 8/);
  assert.throws(() => kerasKernelToPytorch("gru", new Float32Array(8), 2, 4), /must be a multiple of the gru cell's 3 gates/);
});
