// ONNX export checked by running onnxruntime-node on every exported file: a matrix of recurrent
// layers (cell, layers, directions, batch-first, bias, initial states), sequence_lens, streaming
// in two halves, Sequentials, and the export's refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as ort from "onnxruntime-node";
import { f32, runOrt } from "./ort-helpers.js";
import { manualSeed, randn, Tensor, LSTM, GRU, RNN, Linear, Embedding, Dropout, Sequential, Highway, LayerNormLSTM, RNNBase } from "../../../src/index.js";
import { exportOnnx, type OnnxExportOptions } from "../../../src/io/interop/onnx/export.js";
import { importOnnx } from "../../../src/io/interop/onnx/import.js";
import { OnnxError } from "../../../src/io/interop/onnx/proto.js";

const TOL = 1e-5;
let largest = 0;

type Feeds = Record<string, ort.Tensor>;

function close(actual: ArrayLike<number> | undefined, expected: ArrayLike<number>, what: string): void {
  assert.ok(actual !== undefined, `${what} is missing`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  largest = Math.max(largest, worst);
  assert.ok(worst <= TOL, `${what}: largest deviation ${worst} > ${TOL}`);
}

type Kind = "lstm" | "gru" | "rnn_tanh" | "rnn_relu";

function makeLayer(kind: Kind, o: { numLayers: number; bidirectional: boolean; batchFirst: boolean; bias: boolean; inputSize?: number; hiddenSize?: number }): RNNBase {
  const opts = { inputSize: o.inputSize ?? 3, hiddenSize: o.hiddenSize ?? 4, numLayers: o.numLayers, bidirectional: o.bidirectional, batchFirst: o.batchFirst, bias: o.bias };
  if (kind === "lstm") return new LSTM(opts);
  if (kind === "gru") return new GRU(opts);
  return new RNN({ ...opts, nonlinearity: kind === "rnn_relu" ? "relu" : "tanh" });
}

const KINDS: Kind[] = ["lstm", "gru", "rnn_tanh", "rnn_relu"];

test("a matrix of 64 recurrent layers: onnxruntime's outputs and states equal ours within 1e-5", async () => {
  let models = 0;
  for (const kind of KINDS) {
    for (const numLayers of [1, 2]) {
      for (const bidirectional of [false, true]) {
        for (const batchFirst of [false, true]) {
          for (const bias of [true, false]) {
            manualSeed(1000 + models);
            const layer = makeLayer(kind, { numLayers, bidirectional, batchFirst, bias });
            const name = `${kind} L=${numLayers} bi=${bidirectional} bf=${batchFirst} bias=${bias}`;
            const [T, B, D] = [5, 3, bidirectional ? 2 : 1];
            const x = randn(batchFirst ? [B, T, 3] : [T, B, 3]);
            // Every other model also runs from zero states with no state inputs at all.
            const withStates = models % 2 === 0 || kind === "lstm";
            const h0 = randn([numLayers * D, B, 4]);
            const c0 = randn([numLayers * D, B, 4]);
            const [y, state] = layer.forwardState(x, kind === "lstm" ? { h: h0, c: c0 } : { h: h0 });
            const feeds: Feeds = { input: f32(x), h0: f32(h0) };
            if (kind === "lstm") feeds["c0"] = f32(c0);
            const got = await runOrt(exportOnnx(layer), feeds);
            close(got["output"], y.data, `${name}: output`);
            close(got["hN"], state.h.data, `${name}: hN`);
            if (kind === "lstm") close(got["cN"], state.c!.data, `${name}: cN`);
            if (withStates) {
              const [y0] = layer.forwardState(x);
              const zero = await runOrt(exportOnnx(layer, { initialStates: false }), { input: f32(x) });
              close(zero["output"], y0.data, `${name}: output from zero states`);
              assert.deepEqual(Object.keys(zero), ["output"]);
            }
            models++;
          }
        }
      }
    }
  }
  assert.equal(models, 64);
});

test("sequence_lens: each sequence's outputs and final states equal ours on the sequence cut to its length", async () => {
  const lengths = [5, 3, 1];
  for (const kind of KINDS) {
    for (const bidirectional of [false, true]) {
      manualSeed(77);
      const batchFirst = bidirectional;
      const layer = makeLayer(kind, { numLayers: 2, bidirectional, batchFirst, bias: true });
      const [T, B, D, H] = [5, lengths.length, bidirectional ? 2 : 1, 4];
      const x = randn(batchFirst ? [B, T, 3] : [T, B, 3]);
      const h0 = randn([2 * D, B, H]);
      const c0 = randn([2 * D, B, H]);
      const feeds: Feeds = { input: f32(x), sequence_lens: new ort.Tensor("int32", Int32Array.from(lengths), [B]), h0: f32(h0) };
      if (kind === "lstm") feeds["c0"] = f32(c0);
      const got = await runOrt(exportOnnx(layer, { sequenceLens: true }), feeds);
      const out = got["output"]!;
      for (let b = 0; b < B; b++) {
        const len = lengths[b]!;
        // Sequence b alone, cut to its length, from its own initial states.
        const xb = new Float32Array(len * 3);
        for (let t = 0; t < len; t++) for (let i = 0; i < 3; i++) xb[t * 3 + i] = x.data[(batchFirst ? b * T + t : t * B + b) * 3 + i]!;
        const pick = (s: Tensor): Tensor => {
          const v = new Float32Array(2 * D * H);
          for (let k = 0; k < 2 * D; k++) v.set(s.data.subarray((k * B + b) * H, (k * B + b + 1) * H), k * H);
          return new Tensor(v, [2 * D, 1, H]);
        };
        const xs = new Tensor(xb, batchFirst ? [1, len, 3] : [len, 1, 3]);
        const [y, state] = layer.forwardState(xs, kind === "lstm" ? { h: pick(h0), c: pick(c0) } : { h: pick(h0) });
        const W = D * H;
        const ours = new Float32Array(T * W);
        ours.set(y.data); // steps past the length stay 0, as ONNX defines
        const theirs = new Float32Array(T * W);
        for (let t = 0; t < T; t++) theirs.set(out.subarray((batchFirst ? b * T + t : t * B + b) * W, (batchFirst ? b * T + t : t * B + b) * W + W), t * W);
        close(theirs, ours, `${kind} bi=${bidirectional} sequence ${b} (length ${len}): output`);
        const hN = got["hN"]!;
        close(pick(new Tensor(hN, [2 * D, B, H])).data, state.h.data, `${kind} bi=${bidirectional} sequence ${b}: hN`);
        if (kind === "lstm") close(pick(new Tensor(got["cN"]!, [2 * D, B, H])).data, state.c!.data, `${kind} sequence ${b}: cN`);
      }
    }
  }
});

test("streaming: two onnxruntime calls passing hN/cN on equal one call over the whole sequence and ours", async () => {
  manualSeed(5);
  const layer = new LSTM({ inputSize: 3, hiddenSize: 6, numLayers: 2 });
  const bytes = exportOnnx(layer);
  const [T, B] = [8, 2];
  const x = randn([T, B, 3]);
  const zeros = (): ort.Tensor => new ort.Tensor("float32", new Float32Array(2 * B * 6), [2, B, 6]);
  const whole = await runOrt(bytes, { input: f32(x), h0: zeros(), c0: zeros() });
  const half = (from: number): ort.Tensor => new ort.Tensor("float32", x.data.slice(from * B * 3, (from + T / 2) * B * 3), [T / 2, B, 3]);
  const first = await runOrt(bytes, { input: half(0), h0: zeros(), c0: zeros() });
  const second = await runOrt(bytes, {
    input: half(T / 2),
    h0: new ort.Tensor("float32", first["hN"]!, [2, B, 6]),
    c0: new ort.Tensor("float32", first["cN"]!, [2, B, 6]),
  });
  const joined = new Float32Array(T * B * 6);
  joined.set(first["output"]!);
  joined.set(second["output"]!, (T / 2) * B * 6);
  close(joined, whole["output"]!, "two halves vs one call: output");
  close(second["hN"], whole["hN"]!, "two halves vs one call: hN");
  close(second["cN"], whole["cN"]!, "two halves vs one call: cN");
  const [y, state] = layer.forward(x);
  close(joined, y.data, "two halves vs ours: output");
  close(second["cN"], state.c.data, "two halves vs ours: cN");
});

test("Sequential(Embedding, LSTM, Dropout, Linear, GRU) exports with per-layer states; fixed axes work too", async () => {
  manualSeed(9);
  const model = new Sequential([
    new Embedding({ numEmbeddings: 10, embeddingDim: 4 }),
    new LSTM({ inputSize: 4, hiddenSize: 5, batchFirst: true, bidirectional: true }),
    new Dropout({ p: 0.3 }),
    new Linear({ inFeatures: 10, outFeatures: 6 }),
    new GRU({ inputSize: 6, hiddenSize: 3, batchFirst: true, numLayers: 2 }),
    new Linear({ inFeatures: 3, outFeatures: 2, bias: false }),
  ]).eval();
  const [B, T] = [2, 7];
  const ids = Array.from({ length: B * T }, (_, k) => (k * 7 + 3) % 10);
  const y = model.forward(new Tensor(Float32Array.from(ids), [B, T]));
  const input = new ort.Tensor("int64", BigInt64Array.from(ids.map((v) => BigInt(v))), [B, T]);
  const zeros = (n: number, h: number): ort.Tensor => new ort.Tensor("float32", new Float32Array(n * B * h), [n, B, h]);
  const opts: OnnxExportOptions[] = [{}, { dynamicAxes: false, timeSteps: T, batchSize: B }];
  for (const o of opts) {
    const got = await runOrt(exportOnnx(model, o), { input, h0_1: zeros(2, 5), c0_1: zeros(2, 5), h0_4: zeros(2, 3) });
    close(got["output"], y.data, `Sequential ${JSON.stringify(o)}: output`);
    assert.deepEqual(Object.keys(got).sort(), ["cN_1", "hN_1", "hN_4", "output"]);
  }
  const plain = await runOrt(exportOnnx(model, { initialStates: false }), { input });
  close(plain["output"], y.data, "Sequential without states: output");
});

test("the batchFirst option overrides the layer's layout: (B, T, I) in and out", async () => {
  manualSeed(12);
  const layer = new GRU({ inputSize: 3, hiddenSize: 4, bidirectional: true });
  const [T, B] = [4, 2];
  const x = randn([T, B, 3]);
  const [y] = layer.forward(x);
  const xb = new Float32Array(T * B * 3);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) xb.set(x.data.subarray((t * B + b) * 3, (t * B + b + 1) * 3), (b * T + t) * 3);
  const got = await runOrt(exportOnnx(layer, { batchFirst: true, initialStates: false }), { input: new ort.Tensor("float32", xb, [B, T, 3]) });
  const yb = new Float32Array(T * B * 8);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) yb.set(y.data.subarray((t * B + b) * 8, (t * B + b + 1) * 8), (b * T + t) * 8);
  close(got["output"], yb, "batchFirst override: output");
});

test("export round trip: importOnnx(exportOnnx(m)) has m's config and bit-identical parameters", () => {
  let n = 0;
  for (const kind of KINDS) {
    for (const [numLayers, bidirectional, batchFirst, bias] of [
      [1, false, false, true],
      [2, true, true, false],
      [3, true, false, true],
    ] as const) {
      manualSeed(300 + n++);
      const layer = makeLayer(kind, { numLayers, bidirectional, batchFirst, bias, inputSize: 2, hiddenSize: 3 });
      const back = importOnnx(exportOnnx(layer));
      assert.equal(back.constructor, layer.constructor);
      assert.deepEqual(back.getConfig(), layer.getConfig());
      const a = layer.stateDict();
      const b = back.stateDict();
      assert.deepEqual(Object.keys(b), Object.keys(a));
      for (const k of Object.keys(a)) assert.deepEqual(b[k]!.data, a[k]!.data, `${kind} ${k}`);
    }
  }
  manualSeed(4);
  const seq = new Sequential([new Embedding({ numEmbeddings: 6, embeddingDim: 3 }), new GRU({ inputSize: 3, hiddenSize: 4, batchFirst: true }), new Linear({ inFeatures: 4, outFeatures: 5 })]);
  const back = importOnnx(exportOnnx(seq));
  assert.ok(back instanceof Sequential);
  assert.deepEqual(back.getConfig(), seq.getConfig());
  for (const [k, v] of Object.entries(seq.stateDict())) assert.deepEqual(back.stateDict()[k]!.data, v.data, k);
});

test("layers ONNX cannot express are refused, naming the layer and the option", () => {
  const lstmp = new LSTM({ inputSize: 3, hiddenSize: 6, projSize: 2 });
  assert.throws(() => exportOnnx(lstmp, { sequenceLens: true }), (e: unknown) => e instanceof OnnxError && /LSTM\(hiddenSize=6\): sequenceLens is not exported for an LSTM with projSize > 0/.test(e.message));
  assert.throws(() => exportOnnx(new LayerNormLSTM({ inputSize: 2, hiddenSize: 2 })), /cell "layernorm_lstm" has no ONNX operator/);
  assert.throws(
    () => exportOnnx(new Sequential([new Linear({ inFeatures: 2, outFeatures: 2 }), new Highway({ size: 2 })])),
    /Highway.*\(layer 1\) has no ONNX export; supported: RNN, LSTM, GRU, Linear, Embedding, Dropout/,
  );
  assert.throws(() => exportOnnx(new Sequential([new Linear({ inFeatures: 2, outFeatures: 2 }), new Embedding({ numEmbeddings: 3, embeddingDim: 2 })])), /an Embedding must come first/);
  assert.throws(() => exportOnnx(new GRU({ inputSize: 2, hiddenSize: 2 }), { opset: 9 }), /opset must be an integer in \[14, 21\], got 9/);
  assert.throws(() => exportOnnx(new GRU({ inputSize: 2, hiddenSize: 2 }), { dynamicAxes: false }), /needs positive integer timeSteps and batchSize, got undefined and undefined/);
});

test("largest deviation from onnxruntime over all checks", (t) => {
  t.diagnostic(`largest |onnxruntime - ours| = ${largest.toExponential(2)}`);
  assert.ok(largest > 0 && largest <= TOL);
});
