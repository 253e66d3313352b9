// step() with getState / setState / resetStates: token by token, bit for bit the whole-sequence
// forward, on every cell, batch 1 and 3 (the suite runs once per backend).
import { test } from "node:test";
import assert from "node:assert/strict";
import { LSTM, GRU, RNN, PeepholeLSTM, LayerNormLSTM, RecurrentLayer, Tensor, defineCell, getCell, setCellLog, noGrad, type RNNBase } from "recurrent";

setCellLog(() => {});
const gru = getCell("gru");
defineCell({ name: "streaming_generic_gru", states: gru.states, gatesPerUnit: 3, parameters: gru.parameters, step: gru.step!, replace: true });

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const I = 5;
const H = 6;
const layers: [string, () => RNNBase][] = [
  ["rnn_tanh", () => new RNN({ inputSize: I, hiddenSize: H, numLayers: 2 })],
  ["rnn_relu", () => new RNN({ inputSize: I, hiddenSize: H, nonlinearity: "relu" })],
  ["lstm", () => new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2 })],
  ["lstm_proj", () => new LSTM({ inputSize: I, hiddenSize: H, projSize: 3, batchFirst: true })],
  ["gru", () => new GRU({ inputSize: I, hiddenSize: H })],
  ["peephole_lstm", () => new PeepholeLSTM({ inputSize: I, hiddenSize: H })],
  ["layernorm_lstm", () => new LayerNormLSTM({ inputSize: I, hiddenSize: H })],
  ["generic", () => new RecurrentLayer({ cell: "streaming_generic_gru", inputSize: I, hiddenSize: H })],
];

for (const [name, make] of layers) {
  for (const B of [1, 3]) {
    test(`step by step is bit for bit the whole sequence (${name}, B = ${B})`, () => {
      const layer = make();
      const T = 6;
      const P = layer.outputSize;
      const x = values(T * B * I, 21 + B);
      // Time-major steps; the batch-first layer reads (B, T, I).
      const seq = layer.batchFirst
        ? new Tensor(Float32Array.from({ length: T * B * I }, (_, k) => x[((k % (T * I)) / I | 0) * B * I + ((k / (T * I)) | 0) * I + (k % I)]!), [B, T, I])
        : new Tensor(x, [T, B, I]);
      const [whole, final] = noGrad(() => layer.forwardState(seq));
      for (let t = 0; t < T; t++) {
        const y = noGrad(() => layer.step(new Tensor(x.slice(t * B * I, (t + 1) * B * I), [B, I])));
        for (let b = 0; b < B; b++) {
          const at = layer.batchFirst ? (b * T + t) * P : (t * B + b) * P;
          assert.deepEqual([...y.data.subarray(b * P, (b + 1) * P)], [...whole.data.subarray(at, at + P)], `step ${t} row ${b}`);
        }
      }
      const kept = layer.getState()!;
      assert.deepEqual([...kept.h.data], [...final.h.data]);
      if (final.c !== undefined) assert.deepEqual([...kept.c!.data], [...final.c.data]);
      // setState then one step equals forward from that state.
      const x1 = new Tensor(values(B * I, 99), [B, I]);
      layer.setState(final);
      const a = noGrad(() => layer.step(x1));
      const [b1] = noGrad(() => layer.forwardState(layer.batchFirst ? new Tensor(x1.data, [B, 1, I]) : new Tensor(x1.data, [1, B, I]), final));
      assert.deepEqual([...a.data], [...b1.data]);
      layer.resetStates();
      assert.equal(layer.getState(), null);
    });
  }
}

test("step rejects bidirectional layers and a batch that differs from the kept state", () => {
  const bi = new LSTM({ inputSize: I, hiddenSize: H, bidirectional: true });
  assert.throws(() => bi.step(new Tensor(new Float32Array(I), [1, I])), /cannot run step by step/);
  const l = new GRU({ inputSize: I, hiddenSize: H });
  l.step(new Tensor(new Float32Array(2 * I), [2, I]));
  assert.throws(() => l.step(new Tensor(new Float32Array(3 * I), [3, I])), /kept state is for a batch of 2, but x has B = 3/);
});

test("step with a row mask keeps the masked rows' state and repeats their h", () => {
  const l = new LSTM({ inputSize: I, hiddenSize: H });
  const x0 = new Tensor(values(2 * I, 3), [2, I]);
  const y0 = noGrad(() => l.step(x0));
  const before = l.getState()!;
  const y1 = noGrad(() => l.step(new Tensor(values(2 * I, 4), [2, I]), { mask: [false, true] }));
  const after = l.getState()!;
  assert.deepEqual([...y1.data.subarray(0, H)], [...y0.data.subarray(0, H)]);
  assert.deepEqual([...after.c!.data.subarray(0, H)], [...before.c!.data.subarray(0, H)]);
  assert.notDeepEqual([...after.c!.data.subarray(H)], [...before.c!.data.subarray(H)]);
  assert.throws(() => l.step(x0, { mask: [true] }), /mask has 1 entries but x has B = 2 rows/);
});
