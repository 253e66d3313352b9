// Every recurrent layer and cell of the library survives a save/load round trip inside a
// Sequential (config through the registry, weights through safetensors), bit for bit.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Sequential,
  Linear,
  RNN,
  LSTM,
  GRU,
  PeepholeLSTM,
  LayerNormLSTM,
  RecurrentLayer,
  RNNCell,
  GRUCell,
  LSTMCell,
  PeepholeLSTMCell,
  LayerNormLSTMCell,
  Module,
  manualSeed,
  randn,
  noGrad,
  serializeModel,
  deserializeModel,
  layerToConfig,
  type Tensor,
} from "recurrent";

function sameOutput(a: Module & { forward(x: Tensor): Tensor }, b: Module & { forward(x: Tensor): Tensor }, x: Tensor): void {
  const ya = noGrad(() => a.forward(x));
  const yb = noGrad(() => b.forward(x));
  assert.deepEqual(ya.shape, yb.shape);
  assert.deepEqual(Array.from(yb.data), Array.from(ya.data));
}

test("a Sequential of every recurrent layer round-trips through serializeModel/deserializeModel", () => {
  manualSeed(3);
  const model = new Sequential([
    new LSTM({ inputSize: 3, hiddenSize: 6, batchFirst: true, projSize: 4 }),
    new PeepholeLSTM({ inputSize: 4, hiddenSize: 5, batchFirst: true, bidirectional: true }),
    new LayerNormLSTM({ inputSize: 10, hiddenSize: 4, batchFirst: true, numLayers: 2 }),
    new GRU({ inputSize: 4, hiddenSize: 4, batchFirst: true, bias: false }),
    new RNN({ inputSize: 4, hiddenSize: 3, batchFirst: true, nonlinearity: "relu" }),
    new RecurrentLayer({ cell: "gru", inputSize: 3, hiddenSize: 3, batchFirst: true }),
    new Linear({ inFeatures: 3, outFeatures: 2 }),
  ]);
  const copy = deserializeModel(serializeModel(model));
  assert.ok(copy instanceof Sequential);
  assert.deepEqual(layerToConfig(copy), layerToConfig(model));
  sameOutput(model, copy, randn([2, 5, 3]));
});

test("every cell class rebuilds from its config with the same parameters", () => {
  manualSeed(4);
  const cells = [
    new RNNCell({ inputSize: 3, hiddenSize: 4, nonlinearity: "relu" }),
    new GRUCell({ inputSize: 3, hiddenSize: 4 }),
    new LSTMCell({ inputSize: 3, hiddenSize: 4, bias: false }),
    new PeepholeLSTMCell({ inputSize: 3, hiddenSize: 4 }),
    new LayerNormLSTMCell({ inputSize: 3, hiddenSize: 4 }),
  ];
  for (const cell of cells) {
    const holder = new Sequential([cell]);
    const copy = deserializeModel(serializeModel(holder));
    const want = holder.stateDict();
    const got = copy.stateDict();
    assert.deepEqual(Object.keys(got), Object.keys(want), cell.describe());
    for (const k of Object.keys(want)) assert.deepEqual(Array.from(got[k]!.data), Array.from(want[k]!.data), `${cell.describe()} ${k}`);
    assert.deepEqual(copy.getConfig(), holder.getConfig());
  }
});
