import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor } from "../../../src/tensor/tensor.js";
import { layers } from "../../../src/index.js";

const B = 2;
const T = 4;
const I = 3;
const x = new Tensor(Float32Array.from({ length: B * T * I }, (_, k) => Math.sin(k + 1)), [B, T, I]);
// Row 0 has a hole at step 1, row 1 is padded after step 2.
const mask = new Tensor(Float32Array.from([1, 0, 1, 1, 1, 1, 0, 0]), [B, T]);

function row(y: Tensor, b: number, t: number): number[] {
  const H = y.shape[2]!;
  // + 0: a masked step is -0 where the carried output was negative (0 times it).
  return Array.from(y.data.subarray((b * T + t) * H, (b * T + t + 1) * H), (v) => v + 0);
}

for (const kind of ["simpleRNN", "lstm", "gru"] as const) {
  test(`${kind} zeroOutputForMask: masked steps of the sequence are 0, real steps unchanged, config round trip`, () => {
    const make = (zero: boolean) => layers[kind]({ units: 2, returnSequences: true, zeroOutputForMask: zero, inputDim: I, seed: 5 });
    const plain = make(false).forward(x, null, { mask }) as Tensor;
    const zeroing = make(true);
    const zeroed = zeroing.forward(x, null, { mask }) as Tensor;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        if (mask.data[b * T + t] === 1) assert.deepEqual(row(zeroed, b, t), row(plain, b, t));
        else {
          assert.deepEqual(row(zeroed, b, t), [0, 0]);
          assert.notDeepEqual(row(plain, b, t), [0, 0], "the carried output is not 0, so the test can fail");
        }
      }
    }
    assert.equal(zeroing.getConfig()["zeroOutputForMask"], true);
    assert.equal(make(false).getConfig()["zeroOutputForMask"], false);
  });
}

test("Bidirectional: each direction's zeroOutputForMask applies to its half of the output", () => {
  const fw = layers.lstm({ units: 2, returnSequences: true, zeroOutputForMask: true, inputDim: I, seed: 1 });
  const y = layers.bidirectional(fw, { mergeMode: "concat" }).forward(x, null, { mask }) as Tensor;
  assert.deepEqual(y.shape, [B, T, 4]);
  const masked = row(y, 1, 3);
  assert.deepEqual(masked, [0, 0, 0, 0]);
  assert.notDeepEqual(row(y, 1, 1), [0, 0, 0, 0]);
});
