// Option objects are checked at run time (JavaScript callers get no type checker), and
// getConfig() returns the options that rebuild the layer, as JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Module, Linear, Embedding, Dropout, Highway, manualSeed, noGrad, Tensor, type LayerConfig } from "recurrent";

function throwsWith(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    for (const p of parts) assert.ok(e.message.includes(p), `message "${e.message}" lacks "${p}"`);
    return true;
  });
}

// Untyped options, as a JavaScript caller passes them.
const untyped = (v: unknown): never => v as never;

test("Linear: missing, mistyped and unknown options name the layer and list the known options", () => {
  throwsWith(() => Reflect.construct(Linear, []), "Linear: options must be an object, got undefined");
  throwsWith(() => new Linear(untyped({ inFeatures: "3", outFeatures: 2 })), 'Linear: option inFeatures must be an integer, got "3"');
  throwsWith(() => new Linear(untyped({ inFeatures: 3 })), "Linear: option outFeatures is required");
  throwsWith(() => new Linear(untyped({ inFeatures: 3, outFeatures: 2, bias: 1 })), "Linear: option bias must be true or false, got 1");
  throwsWith(
    () => new Linear(untyped({ inFeatures: 3, outFeatures: 2, biass: false })),
    'Linear: unknown option "biass"',
    'did you mean "bias"?',
    "known options: inFeatures, outFeatures, bias",
  );
  throwsWith(() => new Linear(untyped({ inputDim: 3, units: 2 })), 'Linear: unknown option "inputDim"', "known options");
  throwsWith(() => new Linear({ inFeatures: 3, outFeatures: -1 }), "Linear: outFeatures must be a positive integer, got -1");
});

test("Embedding, Dropout and Highway check their options the same way", () => {
  throwsWith(() => Reflect.construct(Embedding, []), "Embedding: options must be an object");
  throwsWith(() => new Embedding(untyped({ numEmbeddings: 10, embeddingDim: 4, maxNorm: 1 })), 'Embedding: unknown option "maxNorm"', "known options: numEmbeddings, embeddingDim, maskZero, paddingIdx");
  throwsWith(() => new Embedding(untyped({ numEmbeddings: 10.5, embeddingDim: 4 })), "Embedding: option numEmbeddings must be an integer, got 10.5");
  throwsWith(() => new Dropout(untyped({ rate: 0.1 })), 'Dropout: unknown option "rate"', "known options: p");
  throwsWith(() => new Dropout(untyped({ p: "0.1" })), 'Dropout: option p must be a finite number, got "0.1"');
  throwsWith(() => new Dropout(untyped("0.1")), 'Dropout: options must be an object, got "0.1"');
  throwsWith(() => new Dropout({ p: 1 }), "Dropout: p must be in [0, 1), got 1");
  throwsWith(() => new Dropout(NaN), "Dropout: p must be in [0, 1), got NaN");
  throwsWith(() => new Highway(untyped({ size: 4, layers: 2 })), 'Highway: unknown option "layers"', "known options: size, numLayers, activation, transformBias");
  throwsWith(() => new Highway(untyped({ size: 4, transformBias: "-2" })), 'Highway: option transformBias must be a finite number, got "-2"');
  throwsWith(() => new Highway(untyped({ size: 4, activation: "toString" })), "Highway: activation must be one of relu, tanh, sigmoid");
  throwsWith(() => new Highway(untyped({ numLayers: 2 })), "Highway: option size is required");
});

test("getConfig returns the options as JSON, defaults filled in, and the config rebuilds an equal layer", () => {
  const cases: [Module & { forward(x: never): unknown }, LayerConfig, (c: LayerConfig) => Module][] = [
    [new Linear({ inFeatures: 3, outFeatures: 2 }), { inFeatures: 3, outFeatures: 2, bias: true }, (c) => new Linear(untyped(c))],
    [new Linear({ inFeatures: 3, outFeatures: 2, bias: false }), { inFeatures: 3, outFeatures: 2, bias: false }, (c) => new Linear(untyped(c))],
    [new Embedding({ numEmbeddings: 7, embeddingDim: 3 }), { numEmbeddings: 7, embeddingDim: 3 }, (c) => new Embedding(untyped(c))],
    [new Dropout(), { p: 0.5 }, (c) => new Dropout(untyped(c))],
    [new Dropout(0.2), { p: 0.2 }, (c) => new Dropout(untyped(c))],
    [new Highway({ size: 4 }), { size: 4, numLayers: 1, activation: "relu", transformBias: -2 }, (c) => new Highway(untyped(c))],
    [new Highway({ size: 4, numLayers: 3, activation: "tanh", transformBias: -1 }), { size: 4, numLayers: 3, activation: "tanh", transformBias: -1 }, (c) => new Highway(untyped(c))],
  ];
  for (const [layer, want, rebuild] of cases) {
    const config = layer.getConfig();
    assert.deepEqual(config, want, layer.describe());
    const again = rebuild(JSON.parse(JSON.stringify(config)));
    assert.deepEqual(again.getConfig(), config);
    assert.equal(again.describe(), layer.describe());
    assert.deepEqual(
      Object.entries(again.stateDict()).map(([n, p]) => [n, p.shape]),
      Object.entries(layer.stateDict()).map(([n, p]) => [n, p.shape]),
    );
  }
});

test("Embedding takes a Tensor of ids and keeps its shape", () => {
  manualSeed(4);
  const emb = new Embedding({ numEmbeddings: 5, embeddingDim: 3 });
  const ids = new Float32Array([4, 0, 2, 2, 1, 3]);
  const y = noGrad(() => emb.forward(new Tensor(ids, [2, 3])));
  assert.deepEqual(y.shape, [2, 3, 3]);
  assert.deepEqual(y.data.subarray(3, 6), emb.weight.data.subarray(ids[1]! * 3, ids[1]! * 3 + 3));
  assert.deepEqual(y.data, emb.forward(ids, [2, 3]).data);
});

test("the base getConfig says what to override", () => {
  class Plain extends Module {
    override describe(): string {
      return "Plain()";
    }
  }
  throwsWith(() => new Plain().getConfig(), "Plain().getConfig: this module does not describe its config; override getConfig()");
});
