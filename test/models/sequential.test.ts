// Sequential: layers in order, PyTorch's nn.Sequential names, tuples passed on by their output.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequential, Linear, Embedding, Highway, Dropout, LSTM, LSTMCell, GRU, Tensor, manualSeed, randn, noGrad, layerFromConfig } from "recurrent";

function throwsWith(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    for (const p of parts) assert.ok(e.message.includes(p), `message "${e.message}" lacks "${p}"`);
    return true;
  });
}

test("parameter names are nn.Sequential's: the layer index, then the layer's own names", () => {
  const model = new Sequential([new Linear({ inFeatures: 3, outFeatures: 4 }), new LSTM({ inputSize: 4, hiddenSize: 5 }), new Dropout(0.1), new Linear({ inFeatures: 5, outFeatures: 2 })]);
  assert.deepEqual(Object.keys(model.stateDict()), [
    "0.weight",
    "0.bias",
    "1.weight_ih_l0",
    "1.weight_hh_l0",
    "1.bias_ih_l0",
    "1.bias_hh_l0",
    "3.weight",
    "3.bias",
  ]);
  assert.deepEqual([...model.namedChildren()].map(([n]) => n), ["0", "1", "2", "3"]);
  assert.equal(model.length, 4);
  assert.ok(model.at(-1) instanceof Linear);
  assert.equal(model.describe(), "Sequential(Linear, LSTM, Dropout, Linear)");
});

test("forward feeds each output to the next layer, and a recurrent layer's [output, state] passes its output", () => {
  manualSeed(7);
  const emb = new Embedding({ numEmbeddings: 6, embeddingDim: 3 });
  const gru = new GRU({ inputSize: 3, hiddenSize: 4 });
  const hw = new Highway({ size: 4 });
  const head = new Linear({ inFeatures: 4, outFeatures: 6 });
  const model = Sequential.of(emb, gru, hw, head);
  const ids = new Tensor(new Float32Array([0, 5, 2, 3, 1, 4, 4, 0]), [4, 2]); // (T, B)
  const y = model.forward(ids);
  const [out] = gru.forward(emb.forward(ids));
  const want = head.forward(hw.forward(out));
  assert.deepEqual(y.shape, [4, 2, 6]);
  assert.deepEqual(y.data, want.data);
  // Gradients flow back through every layer.
  y.square().mean().backward();
  for (const [name, p] of model.namedParameters()) assert.ok(p.grad !== null && p.grad.data.some((v) => v !== 0), `${name} got no gradient`);
});

test("an LSTM's [output, [h, c]] passes its output; a cell's [h, c] passes h", () => {
  manualSeed(8);
  const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2 });
  const cell = new LSTMCell({ inputSize: 4, hiddenSize: 2 });
  const head = new Linear({ inFeatures: 4, outFeatures: 4 });
  const model = new Sequential([lstm, head]);
  const x = randn([5, 2, 3]);
  const [out] = lstm.forward(x);
  assert.deepEqual(model.forward(x).data, head.forward(out).data);
  const proj = new Linear({ inFeatures: 3, outFeatures: 4 });
  const step = new Sequential([proj, cell]);
  const v = randn([2, 3]);
  const [h] = cell.forward(proj.forward(v));
  assert.deepEqual(step.forward(v).data, h.data);
});

test("add appends, an empty Sequential is the identity, and train/eval reach the layers", () => {
  const model = new Sequential();
  const x = randn([2, 3]);
  assert.equal(model.forward(x), x);
  const drop = new Dropout(0.5);
  assert.equal(model.add(new Linear({ inFeatures: 3, outFeatures: 3 })).add(drop), model);
  assert.deepEqual(Object.keys(model.stateDict()), ["0.weight", "0.bias"]);
  model.eval();
  assert.equal(drop.training, false);
  const a = noGrad(() => model.forward(x));
  assert.deepEqual(noGrad(() => model.forward(x)).data, a.data);
  model.train();
  assert.equal(drop.training, true);
  assert.equal(model.layers().length, 2);
});

test("getConfig lists each layer's { className, config }; fromConfig rebuilds the same structure", () => {
  const model = new Sequential([
    new Embedding({ numEmbeddings: 10, embeddingDim: 4 }),
    new Highway({ size: 4, numLayers: 2, activation: "tanh" }),
    new Dropout(0.2),
    new Linear({ inFeatures: 4, outFeatures: 3, bias: false }),
  ]);
  const config = model.getConfig();
  assert.deepEqual(config, {
    layers: [
      { className: "Embedding", config: { numEmbeddings: 10, embeddingDim: 4 } },
      { className: "Highway", config: { size: 4, numLayers: 2, activation: "tanh", transformBias: -2 } },
      { className: "Dropout", config: { p: 0.2 } },
      { className: "Linear", config: { inFeatures: 4, outFeatures: 3, bias: false } },
    ],
  });
  const again = Sequential.fromConfig(JSON.parse(JSON.stringify(config)));
  assert.deepEqual(again.getConfig(), config);
  assert.deepEqual(Object.keys(again.stateDict()), Object.keys(model.stateDict()));
  // Through the registry, and nested.
  const nested = new Sequential([model, new Linear({ inFeatures: 3, outFeatures: 1 })]);
  const rebuilt = layerFromConfig({ className: "Sequential", config: nested.getConfig() });
  assert.ok(rebuilt instanceof Sequential);
  assert.deepEqual(Object.keys(rebuilt.stateDict()), Object.keys(nested.stateDict()));
  assert.equal(Object.keys(rebuilt.stateDict())[0], "0.0.weight");
});

test("errors name Sequential, the layer index and what is wrong", () => {
  throwsWith(() => new Sequential([new Linear({ inFeatures: 2, outFeatures: 2 }), {} as never]), "Sequential.add: expected a layer (a Module with a forward method), got an object");
  throwsWith(() => new Sequential(3 as never), "Sequential: layers must be an array of layers, got 3");
  const model = new Sequential([new Linear({ inFeatures: 2, outFeatures: 3 }), new Linear({ inFeatures: 4, outFeatures: 1 })]);
  throwsWith(() => model.forward(randn([5, 2])), "Sequential(Linear, Linear).forward: layer 1: Linear(inFeatures=4, outFeatures=1).forward: input shape [5, 3] must end in 4");
  throwsWith(() => model.at(2), "at: index 2 is outside [-2, 2)");
  throwsWith(() => Sequential.fromConfig({ layers: 3 }), "Sequential.fromConfig: layers must be an array of { className, config }, got 3");
  throwsWith(() => Sequential.fromConfig({ layer: [] }), 'Sequential.fromConfig: unknown option "layer"', 'did you mean "layers"?');
  throwsWith(
    () => Sequential.fromConfig({ layers: [{ className: "Linear", config: { inFeatures: 2, outFeatures: 2 } }, { className: "Linear", config: { inFeatures: "2", outFeatures: 2 } }] }),
    "Sequential.fromConfig: layers[1]: layerFromConfig(Linear): Linear: option inFeatures must be an integer",
  );
  throwsWith(() => Sequential.fromConfig({ layers: [{ className: "Dense", config: {} }] }), "Sequential.fromConfig: layers[0]: layerFromConfig: no layer is registered as \"Dense\"");
  throwsWith(() => Sequential.fromConfig({ layers: [null] }), "Sequential.fromConfig: layers[0]: expected { className, config }, got null");
});
