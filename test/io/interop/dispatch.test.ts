// importModel / exportModel: one entry point for every interop format, the format told from the bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LSTM, GRU, exportModel, importModel, detectModelFormat, manualSeed, randn, noGrad, type Module, type Tensor } from "recurrent";

function out(m: Module, x: Tensor): number[] {
  const f = (m as Module & { forward(x: Tensor): [Tensor, unknown] }).forward.bind(m);
  return Array.from(noGrad(() => f(x))[0].data);
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
  assert.throws(() => exportModel(model, "keras" as "onnx"), /exportModel: format must be one of "pytorch", "onnx", got "keras"/);
  assert.throws(() => importModel(new Uint8Array(4), { format: "tfjs" as "onnx" }), /importModel: option format must be one of "pytorch", "onnx", got "tfjs"/);
  assert.throws(() => importModel("model.onnx" as unknown as Uint8Array), /importModel: bytes must be a Uint8Array, got "model.onnx"/);
  assert.throws(() => importModel(Uint8Array.of(1, 2, 3, 4, 5)), (e: unknown) => e instanceof Error && !(e instanceof TypeError));
});
