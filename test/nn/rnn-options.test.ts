import { test } from "node:test";
import assert from "node:assert/strict";
import { LSTM, GRU, RNN, randn, manualSeed, noGrad, Tensor } from "recurrent";

const same = (a: Tensor, b: Tensor): boolean => a.data.length === b.data.length && a.data.every((v, i) => v === b.data[i]);

test("dropout acts between layers in training mode only", () => {
  manualSeed(0);
  const withDrop = new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, dropout: 0.5 });
  const plain = new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2 });
  plain.loadStateDict(withDrop.stateDict());
  const x = randn([4, 2, 3]);
  const [yTrain] = noGrad(() => withDrop.forward(x));
  const [yPlain] = noGrad(() => plain.forward(x));
  assert.ok(!same(yTrain, yPlain), "training-mode dropout changed nothing");
  withDrop.eval();
  const [yEval] = noGrad(() => withDrop.forward(x));
  assert.ok(same(yEval, yPlain), "eval mode must equal the model without dropout");
  // One layer: PyTorch applies no dropout after the last layer, so a 1-layer model is unaffected.
  manualSeed(1);
  const single = new GRU({ inputSize: 3, hiddenSize: 4, dropout: 0.5 });
  const [a] = noGrad(() => single.forward(x));
  const [b] = noGrad(() => single.forward(x));
  assert.ok(same(a, b));
});

test("unbatched (T, I) input equals the batched call with B = 1", () => {
  manualSeed(2);
  const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true });
  const x = randn([5, 3]);
  const h0 = randn([4, 4]);
  const c0 = randn([4, 4]);
  const [y, [h, c]] = lstm.forward(x, [h0, c0]);
  const [yb, [hb, cb]] = lstm.forward(x.reshape([5, 1, 3]), [h0.reshape([4, 1, 4]), c0.reshape([4, 1, 4])]);
  assert.deepEqual(y.shape, [5, 8]);
  assert.deepEqual(h.shape, [4, 4]);
  assert.ok(same(y, yb) && same(h, hb) && same(c, cb));
});

test("batchFirst is a pure layout change", () => {
  manualSeed(3);
  const a = new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 2 });
  const b = new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 2, batchFirst: true });
  b.loadStateDict(a.stateDict());
  const x = randn([4, 3, 2]);
  const [ya, ha] = a.forward(x);
  const [yb, hb] = b.forward(x.transpose(0, 1));
  assert.ok(same(ya, yb.transpose(0, 1)));
  assert.ok(same(ha, hb));
});

test("the reverse direction reads the sequence backwards", () => {
  manualSeed(4);
  const bi = new GRU({ inputSize: 2, hiddenSize: 3, bidirectional: true });
  const fwd = new GRU({ inputSize: 2, hiddenSize: 3 });
  const sd = bi.stateDict();
  fwd.loadStateDict({
    weight_ih_l0: sd["weight_ih_l0_reverse"]!,
    weight_hh_l0: sd["weight_hh_l0_reverse"]!,
    bias_ih_l0: sd["bias_ih_l0_reverse"]!,
    bias_hh_l0: sd["bias_hh_l0_reverse"]!,
  });
  const x = randn([5, 2, 2]);
  const [y, h] = bi.forward(x);
  const reversed = new Tensor(new Float32Array(x.size), x.shape);
  for (let t = 0; t < 5; t++) reversed.data.set(x.data.subarray((4 - t) * 4, (5 - t) * 4), t * 4);
  const [yr, hr] = fwd.forward(reversed);
  // Output of the reverse direction at time t equals the forward GRU's output at 4 - t.
  for (let t = 0; t < 5; t++) {
    for (let b = 0; b < 2; b++) {
      for (let j = 0; j < 3; j++) assert.equal(y.data[(t * 2 + b) * 6 + 3 + j], yr.data[((4 - t) * 2 + b) * 3 + j]);
    }
  }
  assert.deepEqual(Array.from(h.data.subarray(6, 12)), Array.from(hr.data));
});
