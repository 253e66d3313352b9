// traceGates: the traced h is the layer's forward output bit for bit (every layer, both
// directions), the gates and c agree with that h through the cell's equations, and one step's
// gates match a computation by hand from the weights. The suite runs once per backend.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GRU, LSTM, LayerNormLSTM, PeepholeLSTM, RNN, Tensor, noGrad, setCellLog, topUnitsByVariance, traceGates, type GateTrace, type RNNBase } from "recurrent";

setCellLog(() => {});

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const T = 6;
const I = 3;
const H = 4;
const x = new Tensor(values(T * I, 7), [T, I]);

function series(trace: GateTrace, k: number, name: string): number[][] {
  const s = trace.directions[k]!.series.find((v) => v.name === name);
  assert.ok(s !== undefined, `direction ${k} has no series ${name}`);
  return s.values;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

test("traced h is the layer's forward output exactly, for the last layer in both directions", () => {
  const layers: [string, RNNBase][] = [
    ["lstm", new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true })],
    ["gru", new GRU({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true })],
    ["rnn", new RNN({ inputSize: I, hiddenSize: H, bidirectional: true })],
    ["lstm_proj", new LSTM({ inputSize: I, hiddenSize: H, projSize: 2 })],
  ];
  for (const [name, layer] of layers) {
    const D = layer.numDirections;
    const P = layer.outputSize;
    const out = noGrad(() => layer.forwardState(x)[0]); // (T, D·P)
    const trace = traceGates(layer, x);
    assert.equal(trace.directions.length, layer.numLayers * D, name);
    for (let d = 0; d < D; d++) {
      const h = series(trace, (layer.numLayers - 1) * D + d, "h");
      assert.equal(h.length, P);
      for (let t = 0; t < T; t++) for (let j = 0; j < P; j++) assert.equal(h[j]![t], out.data[t * D * P + d * P + j], `${name} d${d} t${t} unit ${j}`);
    }
  }
});

test("LSTM-family gates and c agree with the traced h: h = o·tanh(c), c = f·c_prev + i·g", () => {
  for (const layer of [new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true }), new PeepholeLSTM({ inputSize: I, hiddenSize: H }), new LayerNormLSTM({ inputSize: I, hiddenSize: H })]) {
    const trace = traceGates(layer, x);
    assert.deepEqual(trace.directions[0]!.series.map((s) => s.name), ["i", "f", "g", "o", "c", "h"]);
    trace.directions.forEach((dir, k) => {
      const [i, f, g, o, c, h] = ["i", "f", "g", "o", "c", "h"].map((n) => series(trace, k, n));
      const reverse = dir.direction === "reverse";
      for (let t = 0; t < T; t++) {
        const prev = reverse ? t + 1 : t - 1;
        for (let j = 0; j < H; j++) {
          assert.ok(Math.abs(h![j]![t]! - o![j]![t]! * Math.tanh(c![j]![t]!)) < 1e-5, `${layer.describe()} h at t${t}`);
          if (layer.cell !== "layernorm_lstm") {
            const cPrev = prev < 0 || prev >= T ? 0 : c![j]![prev]!;
            assert.ok(Math.abs(c![j]![t]! - (f![j]![t]! * cPrev + i![j]![t]! * g![j]![t]!)) < 1e-5, `${layer.describe()} c at t${t}`);
          }
          for (const gate of [i, f, o]) assert.ok(gate![j]![t]! > 0 && gate![j]![t]! < 1);
        }
      }
    });
  }
});

test("one LSTM and one GRU step by hand from the weights", () => {
  const lstm = new LSTM({ inputSize: I, hiddenSize: H });
  const p = lstm.stateDict();
  const [wih, whh, bih, bhh] = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"].map((n) => p[n]!.data);
  const trace = traceGates(lstm, x);
  // Step 1 (the second): h_prev is the traced h at step 0.
  const hPrev = series(trace, 0, "h").map((row) => row[0]!);
  const pre = (k: number, j: number): number => {
    const r = k * H + j;
    let s = bih![r]! + bhh![r]!;
    for (let a = 0; a < I; a++) s += wih![r * I + a]! * x.data[1 * I + a]!;
    for (let a = 0; a < H; a++) s += whh![r * H + a]! * hPrev[a]!;
    return s;
  };
  for (let j = 0; j < H; j++) {
    assert.ok(Math.abs(series(trace, 0, "i")[j]![1]! - sigmoid(pre(0, j))) < 1e-6);
    assert.ok(Math.abs(series(trace, 0, "f")[j]![1]! - sigmoid(pre(1, j))) < 1e-6);
    assert.ok(Math.abs(series(trace, 0, "g")[j]![1]! - Math.tanh(pre(2, j))) < 1e-6);
    assert.ok(Math.abs(series(trace, 0, "o")[j]![1]! - sigmoid(pre(3, j))) < 1e-6);
  }

  const gru = new GRU({ inputSize: I, hiddenSize: H });
  const q = gru.stateDict();
  const [gwih, gwhh, gbih, gbhh] = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"].map((n) => q[n]!.data);
  const gt = traceGates(gru, x);
  const gh = series(gt, 0, "h").map((row) => row[0]!);
  const lin = (w: Float32Array, b: Float32Array, v: ArrayLike<number>, n: number, r: number): number => {
    let s = b[r]!;
    for (let a = 0; a < n; a++) s += w[r * n + a]! * v[a]!;
    return s;
  };
  const x1 = x.data.subarray(I, 2 * I);
  for (let j = 0; j < H; j++) {
    const r = sigmoid(lin(gwih!, gbih!, x1, I, j) + lin(gwhh!, gbhh!, gh, H, j));
    const z = sigmoid(lin(gwih!, gbih!, x1, I, H + j) + lin(gwhh!, gbhh!, gh, H, H + j));
    const n = Math.tanh(lin(gwih!, gbih!, x1, I, 2 * H + j) + r * lin(gwhh!, gbhh!, gh, H, 2 * H + j));
    assert.ok(Math.abs(series(gt, 0, "r")[j]![1]! - r) < 1e-6);
    assert.ok(Math.abs(series(gt, 0, "z")[j]![1]! - z) < 1e-6);
    assert.ok(Math.abs(series(gt, 0, "n")[j]![1]! - n) < 1e-6);
    assert.ok(Math.abs(series(gt, 0, "h")[j]![1]! - ((1 - z) * n + z * gh[j]!)) < 1e-5);
  }
});

test("an Elman RNN is traced as h alone; the trace is plain JSON with its documented fields", () => {
  const trace = traceGates(new RNN({ inputSize: I, hiddenSize: H }), x);
  assert.deepEqual(trace.directions[0]!.series.map((s) => s.name), ["h"]);
  const back = JSON.parse(JSON.stringify(trace)) as GateTrace;
  assert.deepEqual(back, trace);
  assert.equal(trace.version, 1);
  assert.equal(trace.steps, T);
  assert.equal(trace.cell, "rnn_tanh");
});

test("bad input names traceGates, the argument and what came", () => {
  const lstm = new LSTM({ inputSize: I, hiddenSize: H });
  assert.throws(() => traceGates(lstm, new Tensor(values(T * I, 1), [1, T, I])), /traceGates: x must be one sequence \(T, I\), got \[1, 6, 3\]/);
  assert.throws(() => traceGates(lstm, new Tensor(values(T * 2, 1), [T, 2])), /traceGates: x is \(T, I\) = \(6, 2\) but LSTM\(hiddenSize=4\) takes I = 3/);
  assert.throws(() => traceGates({} as RNNBase, x), /traceGates: layer must be a recurrent layer/);
});

test("topUnitsByVariance ranks rows by variance, largest first", () => {
  assert.deepEqual(topUnitsByVariance([[0, 0, 0], [0, 1, 0], [0, 5, -5], [1, 1, 1]], 2), [2, 1]);
  assert.deepEqual(topUnitsByVariance([[1, 2]], 5), [0]);
});
