// importModel / exportModel: one entry point for every interop format, the format told from the bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LSTM, GRU, exportModel, importModel, detectModelFormat, manualSeed, randn, noGrad, type Module, type Tensor } from "recurrent";

function out(m: Module, x: Tensor): number[] {
  // A recurrent layer returns [output, state]; a Sequential (what a TF.js import is) the output.
  const f = (m as Module & { forward(x: Tensor): Tensor | [Tensor, unknown] }).forward.bind(m);
  const y = noGrad(() => f(x));
  return Array.from((Array.isArray(y) ? y[0] : y).data);
}

test("a model exported to ONNX and to PyTorch comes back from importModel with the same outputs", () => {
  manualSeed(5);
  for (const model of [new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true }), new GRU({ inputSize: 3, hiddenSize: 5 })]) {
    const x = randn([6, 2, 3]);
    const onnx = exportModel(model, "onnx");
    assert.equal(onnx.format, "onnx");
    if (onnx.format !== "onnx") return;
    assert.equal(detectModelFormat(onnx.bytes), "onnx");
    const torch = exportModel(model, "pytorch");
    if (torch.format !== "pytorch") return;
    assert.equal(detectModelFormat(torch.weights), "pytorch");
    assert.match(torch.modelPy, /import torch/);
    for (const bytes of [onnx.bytes, torch.weights]) {
      const back = importModel(bytes);
      const want = out(model, x);
      const got = out(back, x);
      assert.equal(got.length, want.length);
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= 1e-6, `${model.describe()} output ${i}: ${got[i]} vs ${want[i]}`);
    }
  }
});

test("importModel and exportModel name a bad format and bad bytes", () => {
  const model = new GRU({ inputSize: 2, hiddenSize: 2 });
  assert.throws(() => exportModel(model, "keras" as "onnx"), /exportModel: format must be one of "pytorch", "onnx", "tfjs", got "keras"/);
  assert.throws(() => importModel(new Uint8Array(4), { format: "caffe" as "onnx" }), /importModel: option format must be one of "pytorch", "onnx", "tfjs", "keras", got "caffe"/);
  assert.throws(() => importModel("model.onnx" as unknown as Uint8Array), /importModel: bytes must be a Uint8Array, got "model.onnx"/);
  assert.throws(() => importModel(Uint8Array.of(1, 2, 3, 4, 5)), (e: unknown) => e instanceof Error && !(e instanceof TypeError));
});

test("a TF.js export comes back from importModel with its shard, and without it the shard is asked for by name", () => {
  manualSeed(8);
  const model = new LSTM({ inputSize: 3, hiddenSize: 4, batchFirst: true });
  const x = randn([2, 5, 3]);
  const files = exportModel(model, "tfjs");
  if (files.format !== "tfjs") return assert.fail("tfjs expected");
  const json = new TextEncoder().encode(files.modelJson);
  assert.equal(detectModelFormat(json), "tfjs");
  const back = importModel(json, { shards: { [files.weightsPath]: files.weights } });
  const want = out(model, x);
  const got = out(back, x);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= 1e-6, `output ${i}: ${got[i]} vs ${want[i]}`);
  assert.throws(() => importModel(json), /model\.json names the weight shard "group1-shard1of1\.bin"; pass it in options\.shards/);
});
