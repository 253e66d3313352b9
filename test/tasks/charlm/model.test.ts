import { test } from "node:test";
import assert from "node:assert/strict";
import { crossEntropy, manualSeed } from "recurrent";
import { RNNLM, detachState, timeMajor, type RNNLMOptions } from "../../../src/tasks/charlm/model.js";

const V = 7;

function tokens(B: number, T: number, seed = 1): Int32Array {
  return Int32Array.from({ length: B * T }, (_, i) => (i * 5 + seed * 3 + ((i * i) % 4)) % V);
}

function rowOf(x: Int32Array, b: number, T: number): Int32Array {
  return x.slice(b * T, (b + 1) * T);
}

const variants: [string, Omit<RNNLMOptions, "vocabSize">][] = [
  ["rnn", { cell: "rnn", hiddenSize: 5 }],
  ["gru", { cell: "gru", hiddenSize: 5 }],
  ["lstm", { cell: "lstm", hiddenSize: 5 }],
  ["2-layer bidirectional lstm", { cell: "lstm", hiddenSize: 4, numLayers: 2, bidirectional: true }],
  ["gru with embedding", { cell: "gru", hiddenSize: 6, embedSize: 3 }],
  ["peephole_lstm", { cell: "peephole_lstm", hiddenSize: 5 }],
  ["2-layer bidirectional layernorm_lstm with embedding", { cell: "layernorm_lstm", hiddenSize: 4, numLayers: 2, bidirectional: true, embedSize: 3 }],
];

const HAS_C: ReadonlySet<string> = new Set(["lstm", "peephole_lstm", "layernorm_lstm"]);

test("RNNLM.forward: logits (T·B, V) and a state of (L·D, B, H) for every cell, depth and input kind", () => {
  for (const [name, opts] of variants) {
    manualSeed(0);
    const model = new RNNLM({ vocabSize: V, ...opts });
    const B = 3;
    const T = 4;
    const [logits, state] = model.forward(tokens(B, T), [B, T]);
    const LD = (opts.numLayers ?? 1) * (opts.bidirectional === true ? 2 : 1);
    assert.deepEqual(logits.shape, [T * B, V], name);
    assert.deepEqual(state.h.shape, [LD, B, opts.hiddenSize], name);
    if (HAS_C.has(opts.cell)) assert.deepEqual(state.c?.shape, [LD, B, opts.hiddenSize], name);
    else assert.equal(state.c, null, name);
    const begin = model.beginState(B);
    assert.deepEqual(begin.h.shape, [LD, B, opts.hiddenSize], name);
    assert.ok(begin.h.data.every((v) => v === 0), name);
  }
});

test("RNNLM parameters carry d2l's RNNModel names (rnn.*, linear.*, embedding.*)", () => {
  const names = [...new RNNLM({ vocabSize: V, cell: "lstm", hiddenSize: 4, embedSize: 2 }).namedParameters()].map(([n]) => n);
  assert.deepEqual(names, [
    "embedding.weight",
    "rnn.weight_ih_l0",
    "rnn.weight_hh_l0",
    "rnn.bias_ih_l0",
    "rnn.bias_hh_l0",
    "linear.weight",
    "linear.bias",
  ]);
});

test("timeMajor is d2l's Y.T.reshape(-1): out[t·B + b] = y[b, t]", () => {
  const y = Int32Array.from([10, 11, 12, 20, 21, 22]); // (B=2, T=3)
  assert.deepEqual([...timeMajor(y, 2, 3)], [10, 20, 11, 21, 12, 22]);
  assert.throws(() => timeMajor(y, 4, 2), /6 indices do not fill \(B, T\) = \(4, 2\)/);
});

test("logits row t·B + b is row b at step t: batched rows equal rows run alone, and the loss pairs them with timeMajor(y)", () => {
  for (const [name, opts] of variants) {
    manualSeed(3);
    const model = new RNNLM({ vocabSize: V, ...opts });
    const B = 3;
    const T = 5;
    const x = tokens(B, T, 2);
    const y = tokens(B, T, 5);
    const [logits] = model.forward(x, [B, T]);
    let perRowLoss = 0;
    for (let b = 0; b < B; b++) {
      const [alone] = model.forward(rowOf(x, b, T), [1, T]);
      for (let t = 0; t < T; t++) {
        const batched = logits.data.subarray((t * B + b) * V, (t * B + b + 1) * V);
        const single = alone.data.subarray(t * V, (t + 1) * V);
        for (let k = 0; k < V; k++) assert.ok(Math.abs(batched[k]! - single[k]!) < 1e-5, `${name}: row ${b} step ${t}`);
      }
      perRowLoss += crossEntropy(alone, rowOf(y, b, T)).item();
    }
    const loss = crossEntropy(logits, timeMajor(y, B, T)).item();
    assert.ok(Math.abs(loss - perRowLoss / B) < 1e-5, `${name}: ${loss} vs ${perRowLoss / B}`);
    // Pairing logits with y in its row-major order scores different targets, hence a different loss.
    assert.ok(Math.abs(crossEntropy(logits, y).item() - loss) > 1e-4, name);
  }
});

for (const cell of ["lstm", "peephole_lstm", "layernorm_lstm"] as const) {
  test(`a state carried into the next call continues the sequence: two halves equal the whole (${cell})`, () => {
    manualSeed(4);
    const model = new RNNLM({ vocabSize: V, cell, hiddenSize: 6 });
    const x = tokens(1, 8, 7);
    const [whole] = model.forward(x, [1, 8]);
    const [first, state] = model.forward(x.slice(0, 4), [1, 4]);
    const [second] = model.forward(x.slice(4), [1, 4], detachState(state));
    const joined = [...first.data, ...second.data];
    whole.data.forEach((v, i) => assert.ok(Math.abs(v - joined[i]!) < 1e-5, `element ${i}`));
  });
}

test("detachState cuts the state from the tape and keeps its values", () => {
  manualSeed(5);
  const model = new RNNLM({ vocabSize: V, cell: "lstm", hiddenSize: 3 });
  const [, state] = model.forward(tokens(2, 3), [2, 3]);
  assert.ok(state.h.requiresGrad && state.h.gradFn !== null);
  const d = detachState(state);
  assert.equal(d.h.requiresGrad, false);
  assert.equal(d.h.gradFn, null);
  assert.equal(d.c?.gradFn, null);
  assert.deepEqual([...d.h.data], [...state.h.data]);
});

test("RNNLM: bad options and inputs name the model and the argument", () => {
  assert.throws(() => new RNNLM({ vocabSize: 0, cell: "lstm", hiddenSize: 4 }), /RNNLM: vocabSize must be a positive integer, got 0/);
  assert.throws(() => new RNNLM({ vocabSize: V, cell: "lstm", hiddenSize: 4, embedSize: -1 }), /RNNLM: embedSize must be a non-negative integer, got -1/);
  // @ts-expect-error: a cell name a caller in plain JavaScript may pass
  assert.throws(() => new RNNLM({ vocabSize: V, cell: "peephole", hiddenSize: 4 }), /RNNLM: cell must be one of "rnn", "gru", "lstm", "peephole_lstm", "layernorm_lstm", got "peephole"/);
  const model = new RNNLM({ vocabSize: V, cell: "gru", hiddenSize: 4 });
  assert.throws(() => model.forward(Int32Array.of(1, 2, 3), [2, 2]), /3 indices do not fill \(B, T\) = \(2, 2\)/);
  assert.throws(() => model.forward(Int32Array.of(1, V), [1, 2]), new RegExp(`token index ${V} is outside \\[0, ${V}\\)`));
});

test("charLMParameterCount equals the built model's parameter count for every shape of config", async () => {
  const { charLMParameterCount, buildModel } = await import("../../../src/tasks/charlm/run-files.js");
  const { resolveCharLMConfig, CELL_KINDS } = await import("../../../src/tasks/charlm/config.js");
  for (const cell of CELL_KINDS) {
    for (const [numLayers, bidirectional, embedSize] of [[1, false, 0], [2, true, 0], [3, false, 5], [2, true, 7]] as const) {
      const config = resolveCharLMConfig({ cell, hiddenSize: 6, numLayers, bidirectional, embedSize, textPath: "/x", textSha256: "0".repeat(64) });
      assert.equal(charLMParameterCount(config, 11), buildModel(config, 11).numParameters(), `${cell} L${numLayers} bi=${bidirectional} embed=${embedSize}`);
    }
  }
});
