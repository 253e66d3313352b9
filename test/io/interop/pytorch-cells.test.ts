// importPyTorch of peephole and layer-normalised LSTM state dicts by their parameter names
// (fixtures from tools/gen_torch_cell_dict_fixtures.py: torch.save files, PyTorch's outputs), the
// round trip through exportPyTorch's safetensors, and the errors for partial or mixed dicts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importPyTorch, readTorchStateDict, stateDictToModel, exportPyTorch, PyTorchFormatError, PeepholeLSTM, LayerNormLSTM, TorchModel, Linear, manualSeed, randn, type Module } from "recurrent";
import { assertClose, readFixture, toTensor, type JsonTensor } from "../../helpers/fixtures.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "interop", "pytorch-cells");

interface Fixture {
  name: string;
  cell: "peephole_lstm" | "layernorm_lstm";
  container: boolean;
  options: { inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean; bias: boolean };
  input: JsonTensor;
  h0: JsonTensor;
  c0: JsonTensor;
  output: JsonTensor;
  hN: JsonTensor;
  cN: JsonTensor;
}

const names = readFixture<string[]>("interop/pytorch-cells", "index");

function bytesOf(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(dir, `${name}.pt`)));
}

test("peephole and layer-normalised LSTM state dicts map onto PeepholeLSTM / LayerNormLSTM and match PyTorch", () => {
  assert.equal(names.length, 5);
  for (const name of names) {
    const f = readFixture<Fixture>("interop/pytorch-cells", name);
    const model = importPyTorch(bytesOf(name));
    let layer: Module = model;
    if (f.container) {
      assert.ok(model instanceof TorchModel, `${name}: a container`);
      assert.deepEqual(model.childNames(), ["rnn", "fc"]);
      assert.ok(model.child("fc") instanceof Linear);
      layer = model.child("rnn");
    }
    const Want = f.cell === "peephole_lstm" ? PeepholeLSTM : LayerNormLSTM;
    assert.ok(layer instanceof Want, `${name}: ${layer.describe()}`);
    const l = layer as PeepholeLSTM | LayerNormLSTM;
    assert.deepEqual([l.inputSize, l.hiddenSize, l.numLayers, l.bidirectional, l.bias], [f.options.inputSize, f.options.hiddenSize, f.options.numLayers, f.options.bidirectional, f.options.bias], `${name}: options`);
    const [y, s] = l.forwardState(toTensor(f.input), { h: toTensor(f.h0), c: toTensor(f.c0) });
    assertClose(y.data, f.output, `${name}: output`);
    assertClose(s.h.data, f.hN, `${name}: hN`);
    assertClose(s.c!.data, f.cN, `${name}: cN`);
  }
});

test("exportPyTorch's safetensors of both layers import back with the same class and bit-identical weights", () => {
  manualSeed(5);
  for (const layer of [new PeepholeLSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true }), new LayerNormLSTM({ inputSize: 2, hiddenSize: 3, bias: false })]) {
    const back = importPyTorch(exportPyTorch(layer).weights);
    assert.equal(back.constructor, layer.constructor);
    const want = layer.stateDict();
    const got = back.stateDict();
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
    for (const [n, t] of Object.entries(want)) assert.deepEqual(Array.from(got[n]!.data), Array.from(t.data), n);
    const x = randn([4, 2, layer.inputSize]);
    assert.deepEqual(Array.from((back as PeepholeLSTM).forwardState(x)[0].data), Array.from(layer.forwardState(x)[0].data));
  }
});

test("partial, mixed or misshapen variant dicts are refused naming the module and the parameters", () => {
  const refuses = (mutate: (d: ReturnType<typeof readTorchStateDict>) => void, pattern: RegExp, name = "peephole_lstm_L2_bi_nobias_container"): void => {
    const dict = readTorchStateDict(bytesOf(name));
    mutate(dict);
    assert.throws(() => stateDictToModel(dict, { source: "fuzz.pt" }), (e: unknown) => e instanceof PyTorchFormatError && pattern.test(e.message), String(pattern));
  };
  refuses((d) => d.delete("rnn.weight_co_l1_reverse"), /cannot map module "rnn" .*: as PeepholeLSTM.* \(numLayers 2, bidirectional true, bias false\) it has missing weight_co_l1_reverse/);
  refuses((d) => d.set("rnn.bias_ih_l0", d.get("rnn.weight_ci_l0")!), /\(numLayers 2, bidirectional true, bias true\) it has missing bias_hh_l0, bias_ih_l0_reverse, bias_hh_l0_reverse, bias_ih_l1, /);
  refuses((d) => d.set("rnn.layernorm_c_weight_l0", d.get("rnn.weight_ci_l0")!), /it mixes a peephole LSTM's weight_ci_l0 with a layer-normalised LSTM's layernorm_c_weight_l0/);
  // A stray layer suffix cannot size the layer (it would allocate 100 layers).
  refuses((d) => d.set("rnn.weight_ci_l99", d.get("rnn.weight_ci_l0")!), /a name has layer suffix _l99, but weight_ih_l2 or weight_hh_l2 is missing/);
  refuses((d) => d.set("rnn.weight_cx_l0", d.get("rnn.weight_ci_l0")!), /weight_cx_l0 is not a parameter of nn\.RNN\/nn\.LSTM\/nn\.GRU or of the peephole and layer-normalised LSTMs/);
  refuses((d) => d.set("rnn.layernorm_h_bias_l0", d.get("rnn.layernorm_c_bias_l0")!), /cannot map module "rnn" .*: LayerNormLSTM\(hiddenSize=4\)\.loadStateDict: layernorm_h_bias_l0 has shape \[4\] but the module expects \[16\]/, "layernorm_lstm_L2_bi_bias_container");
  // Long lists are cut: the message names a few parameters and says how many there are.
  refuses(
    (d) => {
      for (const k of [...d.keys()]) if (k.startsWith("rnn.layernorm_c_weight")) d.delete(k);
    },
    /^fuzz\.pt: cannot map module "rnn" \(parameters weight_ih_l0, weight_hh_l0, .*, \.\.\. \(28 in all\)\): .* it has missing layernorm_c_weight_l0, layernorm_c_weight_l0_reverse, layernorm_c_weight_l1, layernorm_c_weight_l1_reverse$/,
    "layernorm_lstm_L2_bi_bias_container",
  );
  refuses((d) => d.delete("layernorm_i_bias_l0"), /\(numLayers 1, bidirectional false, bias true\) it has missing layernorm_i_bias_l0$/, "layernorm_lstm_L1_uni_bias");
});
