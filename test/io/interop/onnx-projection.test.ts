// ONNX export of LSTMs with a projection (projSize > 0) as Scan graphs, checked by running
// onnxruntime-node: layers, directions, batch-first, bias, initial states, opsets, a Sequential
// around one, and streaming in two calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as ort from "onnxruntime-node";
import { f32, runOrt } from "./ort-helpers.js";
import { manualSeed, randn, Tensor, LSTM, Linear, Embedding, Sequential } from "../../../src/index.js";
import { exportOnnx } from "../../../src/io/interop/onnx/export.js";

const TOL = 1e-5;

function close(actual: Float32Array | undefined, expected: ArrayLike<number>, what: string): number {
  assert.ok(actual !== undefined, `${what} is missing`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  assert.ok(worst <= TOL, `${what}: largest deviation ${worst} > ${TOL}`);
  return worst;
}

test("16 projected LSTMs (layers, directions, batch-first, bias): outputs and states equal ours within 1e-5", async () => {
  let models = 0;
  let largest = 0;
  for (const numLayers of [1, 2]) {
    for (const bidirectional of [false, true]) {
      for (const batchFirst of [false, true]) {
        for (const bias of [true, false]) {
          manualSeed(500 + models);
          const [T, B, I, H, P, D] = [5, 3, 3, 6, 2, bidirectional ? 2 : 1];
          const layer = new LSTM({ inputSize: I, hiddenSize: H, projSize: P, numLayers, bidirectional, batchFirst, bias });
          const name = `L=${numLayers} bi=${bidirectional} bf=${batchFirst} bias=${bias}`;
          const x = randn(batchFirst ? [B, T, I] : [T, B, I]);
          const h0 = randn([numLayers * D, B, P]);
          const c0 = randn([numLayers * D, B, H]);
          const [y, state] = layer.forwardState(x, { h: h0, c: c0 });
          // Alternate opsets: Split takes num_outputs from 18 on.
          const got = await runOrt(exportOnnx(layer, { opset: models % 2 === 0 ? 14 : 18 }), { input: f32(x), h0: f32(h0), c0: f32(c0) });
          largest = Math.max(largest, close(got["output"], y.data, `${name}: output`), close(got["hN"], state.h.data, `${name}: hN`), close(got["cN"], state.c!.data, `${name}: cN`));
          const [y0] = layer.forwardState(x);
          const zero = await runOrt(exportOnnx(layer, { initialStates: false }), { input: f32(x) });
          assert.deepEqual(Object.keys(zero), ["output"]);
          largest = Math.max(largest, close(zero["output"], y0.data, `${name}: output from zero states`));
          models++;
        }
      }
    }
  }
  assert.equal(models, 16);
  assert.ok(largest > 0);
});

test("a Sequential [Embedding, projected LSTM, Linear] streams in two calls as in one", async () => {
  manualSeed(9);
  const lstm = new LSTM({ inputSize: 4, hiddenSize: 5, projSize: 3, numLayers: 2 });
  const emb = new Embedding({ numEmbeddings: 7, embeddingDim: 4 });
  const linear = new Linear({ inFeatures: 3, outFeatures: 7 });
  const model = new Sequential([emb, lstm, linear]);
  model.eval();
  const bytes = exportOnnx(model);
  const ids = [1, 4, 2, 6, 0, 3, 5, 2];
  const [T, B] = [4, 2];
  const feedsFor = (part: number[], h: Float32Array, c: Float32Array): Record<string, ort.Tensor> => ({
    input: new ort.Tensor("int64", BigInt64Array.from(part, BigInt), [part.length / B, B]),
    h0_1: new ort.Tensor("float32", h, [2, B, 3]),
    c0_1: new ort.Tensor("float32", c, [2, B, 5]),
  });
  const whole = await runOrt(bytes, feedsFor(ids, new Float32Array(2 * B * 3), new Float32Array(2 * B * 5)));
  const first = await runOrt(bytes, feedsFor(ids.slice(0, 4), new Float32Array(2 * B * 3), new Float32Array(2 * B * 5)));
  const second = await runOrt(bytes, feedsFor(ids.slice(4), first["hN_1"]!, first["cN_1"]!));
  close(Float32Array.from([...first["output"]!, ...second["output"]!]), whole["output"]!, "streamed output");
  close(second["hN_1"], whole["hN_1"]!, "streamed hN");
  // And ours: ids (T, B) through the layers.
  const [y] = lstm.forwardState(emb.forward(new Tensor(Float32Array.from(ids), [T, B])));
  const logits = linear.forward(y);
  close(whole["output"], logits.data, "output against ours");
});
