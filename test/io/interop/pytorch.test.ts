// Importing PyTorch state dicts: every model of tools/gen_torch_interop_fixtures.py, read from
// its torch.save file and from its safetensors file, mapped onto our layers by PyTorch's names,
// must reproduce PyTorch's outputs and final states within 1e-5.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importPyTorch, readTorchStateDict, stateDictToModel, PyTorchFormatError, RNNBase, LSTM, GRU, RNN, Linear, Embedding, Sequential, TorchModel, Tensor, noGrad, serializeModel, deserializeModel } from "recurrent";
import { importPyTorchFile } from "recurrent/node";
import { assertClose, readFixture, toTensor, type JsonTensor } from "../../helpers/fixtures.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "interop", "pytorch");
const FOLDER = "interop/pytorch";

interface Index {
  layers: string[];
  models: string[];
  formats: string[];
  refused: string[];
}
interface LayerCase {
  cell: "lstm" | "gru" | "rnn_tanh" | "rnn_relu";
  nonlinearity: "tanh" | "relu";
  batchFirst: boolean;
  config: { inputSize: number; hiddenSize: number; numLayers: number; bias: boolean; bidirectional: boolean; projSize: number };
  input: JsonTensor;
  h0: JsonTensor;
  c0: JsonTensor | null;
  output: JsonTensor;
  hN: JsonTensor;
  cN: JsonTensor | null;
}
interface ModelCase {
  kind: "charlm" | "sequential" | "nested";
  input: JsonTensor;
  output: JsonTensor;
  hN?: JsonTensor | null;
  cN?: JsonTensor | null;
}
interface TypedJson extends JsonTensor {
  dtype: string;
}

const index = readFixture<Index>(FOLDER, "index");
const bytesOf = (file: string): Uint8Array => new Uint8Array(readFileSync(join(dir, file)));

test("the fixture matrix covers every cell, depth, direction, bias and layout", () => {
  assert.equal(index.layers.length, 36);
  const cases = index.layers.map((n) => readFixture<LayerCase>(FOLDER, n));
  for (const cell of ["lstm", "gru", "rnn_tanh", "rnn_relu"]) assert.ok(cases.filter((c) => c.cell === cell).length >= 8, cell);
  assert.ok(cases.some((c) => c.config.projSize > 0 && c.config.bidirectional && c.config.numLayers === 2));
  assert.ok(cases.some((c) => c.batchFirst) && cases.some((c) => !c.batchFirst));
  assert.ok(cases.some((c) => !c.config.bias));
});

for (const name of index.layers) {
  for (const ext of ["pt", "safetensors"]) {
    test(`import ${name}.${ext}: outputs and states within 1e-5`, () => {
      const c = readFixture<LayerCase>(FOLDER, name);
      const model = importPyTorch(bytesOf(`${name}.${ext}`), { source: `${name}.${ext}`, nonlinearity: c.nonlinearity, batchFirst: c.batchFirst });
      assert.ok(model instanceof RNNBase, model.describe());
      const expectedClass = c.cell === "lstm" ? LSTM : c.cell === "gru" ? GRU : RNN;
      assert.ok(model instanceof expectedClass, `${model.describe()} is not a ${expectedClass.name}`);
      assert.deepEqual(
        { inputSize: model.inputSize, hiddenSize: model.hiddenSize, numLayers: model.numLayers, bias: model.bias, bidirectional: model.bidirectional, projSize: model.projSize, batchFirst: model.batchFirst },
        { ...c.config, batchFirst: c.batchFirst },
      );
      if (model instanceof RNN) assert.equal(model.nonlinearity, c.nonlinearity);
      const state = c.c0 === null ? { h: toTensor(c.h0) } : { h: toTensor(c.h0), c: toTensor(c.c0) };
      const [y, s] = noGrad(() => model.forwardState(toTensor(c.input), state));
      assertClose(y.data, c.output, `${name} output`);
      assert.deepEqual(y.shape, c.output.shape);
      assertClose(s.h.data, c.hN, `${name} hN`);
      if (c.cN !== null) assertClose(s.c!.data, c.cN, `${name} cN`);
    });
  }
}

test("an Embedding + LSTM + Linear char LM becomes a TorchModel with PyTorch's names and forward", () => {
  for (const ext of ["pt", "safetensors"]) {
    const c = readFixture<ModelCase>(FOLDER, "charlm_embedding_lstm_linear");
    const model = importPyTorch(bytesOf(`charlm_embedding_lstm_linear.${ext}`));
    assert.ok(model instanceof TorchModel);
    // safetensors files list tensors sorted by name; torch.save keeps the module's order.
    assert.deepEqual(model.childNames(), ext === "pt" ? ["embedding", "rnn", "linear"] : ["embedding", "linear", "rnn"]);
    assert.ok(model.child("embedding") instanceof Embedding);
    assert.ok(model.child("rnn") instanceof LSTM);
    assert.ok(model.child("linear") instanceof Linear);
    const [logits, s] = noGrad(() => model.forward(toTensor(c.input)));
    assert.deepEqual(logits.shape, c.output.shape);
    assertClose(logits.data, c.output, `charlm ${ext} logits`);
    assertClose(s.h.data, c.hN!, `charlm ${ext} hN`);
    assertClose(s.c!.data, c.cN!, `charlm ${ext} cN`);
  }
});

test("an imported TorchModel saves and loads through the layer registry like any model", () => {
  const c = readFixture<ModelCase>(FOLDER, "charlm_embedding_lstm_linear");
  const model = importPyTorch(bytesOf("charlm_embedding_lstm_linear.pt"));
  const files = serializeModel(model);
  assert.match(files.config, /"className": "TorchModel"/);
  const again = deserializeModel(files);
  assert.ok(again instanceof TorchModel);
  assert.deepEqual(again.childNames(), ["embedding", "rnn", "linear"]);
  const [logits] = noGrad(() => again.forward(toTensor(c.input)));
  assertClose(logits.data, c.output, "reloaded charlm logits");
});

test("d2l's one-hot RNNModel (2-layer GRU + Linear) runs forward on features", () => {
  const c = readFixture<ModelCase>(FOLDER, "onehot_gru_linear");
  const model = importPyTorch(bytesOf("onehot_gru_linear.pt"));
  assert.ok(model instanceof TorchModel);
  const [logits, s] = noGrad(() => model.forward(toTensor(c.input)));
  assertClose(logits.data, c.output, "onehot logits");
  assertClose(s.h.data, c.hN!, "onehot hN");
});

test("an nn.Sequential state dict (0., 1., 2.) becomes a Sequential; its first weight is told to be an Embedding by the LSTM it feeds", () => {
  const c = readFixture<ModelCase>(FOLDER, "sequential_embedding_lstm_linear");
  const model = importPyTorch(bytesOf("sequential_embedding_lstm_linear.safetensors"));
    assert.ok(model instanceof Sequential && model.at(0) instanceof Embedding);
  assert.ok(model instanceof Sequential);
  assert.equal(model.length, 3);
  const y = noGrad(() => model.forward(toTensor(c.input)));
  assertClose(y.data, c.output, "sequential output");
});

test("nested containers keep their names; a container without the LM shape says to call its children", () => {
  const c = readFixture<ModelCase>(FOLDER, "nested_encoder_head");
  const model = importPyTorch(bytesOf("nested_encoder_head.pt"));
  assert.ok(model instanceof TorchModel);
  assert.deepEqual(Object.keys(model.stateDict()), ["encoder.rnn.weight_ih_l0", "encoder.rnn.weight_hh_l0", "encoder.rnn.bias_ih_l0", "encoder.rnn.bias_hh_l0", "encoder.rnn.weight_ih_l0_reverse", "encoder.rnn.weight_hh_l0_reverse", "encoder.rnn.bias_ih_l0_reverse", "encoder.rnn.bias_hh_l0_reverse", "head.weight", "head.bias"]);
  const encoder = model.child("encoder");
  assert.ok(encoder instanceof TorchModel);
  const rnn = encoder.child("rnn");
  const head = model.child("head");
  assert.ok(rnn instanceof GRU && head instanceof Linear);
  const [y, h] = noGrad(() => rnn.forward(toTensor(c.input)));
  assertClose(h.data, c.hN!, "nested hN");
  assertClose(noGrad(() => head.forward(y)).data, c.output, "nested output");
  assert.throws(() => model.forward(toTensor(c.input)), /TorchModel\(encoder, head\)\.forward: .*call its children by name \(model\.child\("encoder"\)\)/);
});

test("views, dtypes and protocol 4: every tensor as PyTorch holds it", () => {
  for (const name of index.formats) {
    const c = readFixture<{ key?: string; tensors: Record<string, TypedJson> }>(FOLDER, name);
    const dict = readTorchStateDict(bytesOf(`${name}.pt`), { source: `${name}.pt`, ...(c.key === undefined ? {} : { key: c.key }) });
    assert.deepEqual([...dict.keys()], Object.keys(c.tensors), name);
    for (const [k, e] of Object.entries(c.tensors)) {
      const t = dict.get(k)!;
      assert.equal(t.dtype, e.dtype, `${name}: ${k} dtype`);
      assert.deepEqual(t.shape, e.shape, `${name}: ${k} shape`);
      // float64 is rounded to float32 on read; every other value must come through exactly.
      assert.deepEqual([...t.data], e.data.map((v) => (t.floating ? Math.fround(v ?? NaN) : v)), `${name}: ${k} values`);
    }
  }
});

test("a checkpoint that nests its state dict names its keys and is read with { key }", () => {
  assert.throws(() => importPyTorch(bytesOf("checkpoint_nested.pt"), { source: "ckpt.pt" }), (e: unknown) => e instanceof PyTorchFormatError && /ckpt\.pt: the dict holds no tensors; its keys are "epoch", "lr", "model", "note".*key: "model"/.test(e.message));
  const gru = importPyTorch(bytesOf("checkpoint_nested.pt"), { key: "model" });
  assert.ok(gru instanceof GRU);
  assert.throws(() => importPyTorch(bytesOf("checkpoint_nested.pt"), { key: "optimizer" }), /key "optimizer" holds nothing, not a state dict; the top-level keys are "epoch"/);
});

test("a lone 2-D weight is a Linear unless a name, the embeddings option or the recurrent layer it feeds says Embedding", () => {
  const seq = readTorchStateDict(bytesOf("sequential_embedding_lstm_linear.pt"));
  const renamed = (prefix: string) => new Map([...seq].map(([k, v]) => [k.replace(/^0\./, `${prefix}.`).replace(/^1\./, "rnn.").replace(/^2\./, "out."), v]));
  // A TorchModel: its only recurrent layer reads E = 5 from the (10, 5) weight.
  const named = stateDictToModel(renamed("table"));
  assert.ok(named instanceof TorchModel && named.child("table") instanceof Embedding);
  // Without a recurrent layer to tell, it stays a Linear without bias, unless named.
  const alone = new Map([...seq].filter(([k]) => k.startsWith("0.")).map(([k, v]) => [k.replace(/^0\./, "proj."), v]));
  const linear = stateDictToModel(alone);
  assert.ok(linear instanceof TorchModel && linear.child("proj") instanceof Linear);
  const hinted = stateDictToModel(alone, { embeddings: ["proj"] });
  assert.ok(hinted instanceof TorchModel && hinted.child("proj") instanceof Embedding);
  const byName = stateDictToModel(new Map([...alone].map(([k, v]) => [k.replace("proj", "word_embeddings"), v])));
  assert.ok(byName instanceof TorchModel && byName.child("word_embeddings") instanceof Embedding);
});

test("integer buffers such as num_batches_tracked are skipped by the mapping", () => {
  const dict = readTorchStateDict(bytesOf("views_and_dtypes.pt"));
  assert.equal(dict.get("num_batches_tracked")!.data[0], 7);
  assert.equal(dict.get("num_batches_tracked")!.floating, false);
});

test("refused files: code-running pickles, the legacy format and re-zipped archives, each with a clear error", () => {
  const expect: Record<string, RegExp> = {
    refused_os_system: /refused_os_system\.pt: refused_os_system\/data\.pkl: the global "os\.system" is not allowed: .*no code runs \(at byte 2\)/,
    refused_builtins_eval: /the global "builtins\.eval" is not allowed/,
    refused_legacy: /legacy torch\.save format \(before PyTorch 1\.6\).*re-save it/,
    refused_deflated: /entry "archive\/data\.pkl" is compressed \(method 8\).*re-save the file with torch\.save/,
  };
  assert.deepEqual(index.refused, Object.keys(expect));
  for (const [name, re] of Object.entries(expect)) {
    assert.throws(() => importPyTorch(bytesOf(`${name}.pt`), { source: `${name}.pt` }), (e: unknown) => e instanceof PyTorchFormatError && re.test(e.message), name);
  }
});

test("names the mapping cannot place are errors naming the module and its parameters; ignore leaves them out", () => {
  const dict = readTorchStateDict(bytesOf("gru_l1_uni_bias_tf.pt"));
  const odd = new Map([...dict].map(([k, v]) => [`rnn.${k}`, v]));
  // A layer norm's weight is 1-D: neither Linear nor Embedding.
  odd.set("norm.weight", dict.get("bias_ih_l0")!);
  assert.throws(() => stateDictToModel(odd, { source: "m.pt" }), (e: unknown) => e instanceof PyTorchFormatError && /^m\.pt: cannot map module "norm" \(parameters weight\): weight has shape \(12\); Linear and Embedding weights are 2-D$/.test(e.message));
  const kept = stateDictToModel(odd, { ignore: ["norm"] });
  assert.ok(kept instanceof TorchModel && kept.child("rnn") instanceof GRU);
  // A GRU's weights with a peephole: the peephole makes it a peephole LSTM, whose gate count differs.
  odd.set("rnn.weight_ci_l0", dict.get("bias_ih_l0")!);
  assert.throws(() => stateDictToModel(odd, { ignore: ["norm"] }), /cannot map module "rnn" \(parameters .*\): a peephole LSTM has 4 gates per unit, but weight_ih_l0 has 12 rows for hidden size 4/);
  odd.delete("rnn.weight_ci_l0");
  odd.set("rnn.weight_xx_l0", dict.get("bias_ih_l0")!);
  assert.throws(() => stateDictToModel(odd, { ignore: ["norm"] }), /cannot map module "rnn" \(parameters .*\): weight_xx_l0 is not a parameter of nn\.RNN\/nn\.LSTM\/nn\.GRU/);
});

test("options are checked: a typo or a wrong type is named", () => {
  const b = bytesOf("gru_l1_uni_bias_tf.pt");
  assert.throws(() => importPyTorch(b, JSON.parse('{"batch_first": true}')), /importPyTorch: unknown option "batch_first" \(did you mean "batchFirst"\?\)/);
  assert.throws(() => importPyTorch(b, JSON.parse('{"nonlinearity": "gelu"}')), /importPyTorch: nonlinearity must be "tanh" or "relu" or an object of module path -> "tanh" or "relu", got "gelu"/);
  assert.throws(() => importPyTorch(b, JSON.parse('{"ignore": "rnn"}')), /importPyTorch: ignore must be an array of strings, got "rnn"/);
  const perModule = importPyTorch(b, { batchFirst: { "": true } });
  assert.ok(perModule instanceof GRU && perModule.batchFirst);
});

test("importPyTorchFile reads a path and refuses files over maxBytes", () => {
  const path = join(dir, "gru_l1_uni_bias_tf.pt");
  assert.ok(importPyTorchFile(path) instanceof GRU);
  assert.throws(() => importPyTorchFile(path, { maxBytes: 100 }), /cannot read PyTorch state dict .*gru_l1_uni_bias_tf\.pt: the file is \d+ bytes, more than the limit of 100 bytes/);
  assert.throws(() => importPyTorch(bytesOf("gru_l1_uni_bias_tf.pt"), { maxBytes: 100, source: "x.pt" }), /x\.pt: the file is \d+ bytes, more than the limit of 100 bytes/);
});

test("the input is told apart: neither ZIP nor safetensors is an error showing its first bytes", () => {
  assert.throws(() => importPyTorch(new TextEncoder().encode("hello world"), { source: "x.bin" }), /x\.bin: neither a torch\.save ZIP file nor a safetensors file \(it starts with bytes 68 65 6c 6c\)/);
  assert.ok(new Tensor(new Float32Array(1), [1]).size === 1);
});

