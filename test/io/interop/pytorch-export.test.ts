// Exporting to PyTorch: our models written as safetensors + a generated model.py, loaded by
// PyTorch 1.13 (/usr/bin/python3) with load_state_dict(strict=True), must compute our outputs
// within 1e-5; and the exported weights import back to an equal model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportPyTorch, importPyTorch, LSTM, GRU, RNN, Linear, Embedding, Dropout, Sequential, TorchModel, PeepholeLSTM, LayerNormLSTM, Highway, Module, Tensor, manualSeed, randn, noGrad, isLayer } from "recurrent";
import { exportPyTorchToDir, PYTORCH_MODEL_FILE, PYTORCH_WEIGHTS_FILE } from "recurrent/node";
import { assertClose } from "../../helpers/fixtures.js";

const RUNNER = `
import importlib.util, json, sys
import torch
torch.set_num_threads(1)
results = []
for job in json.load(open(sys.argv[1])):
    spec = importlib.util.spec_from_file_location("exported_model", job["dir"] + "/model.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    model = mod.load_model()
    inp = job["input"]
    x = torch.tensor(inp["data"], dtype=torch.float32).reshape(inp["shape"])
    if inp["ids"]:
        x = x.long()
    with torch.no_grad():
        out = model(x)
    flat = []
    def walk(v):
        if isinstance(v, torch.Tensor):
            flat.append({"shape": list(v.shape), "data": v.flatten().tolist()})
        elif isinstance(v, (tuple, list)):
            for item in v:
                walk(item)
    walk(out)
    results.append({"outputs": flat, "names": list(model.state_dict().keys())})
print(json.dumps(results))
`;

interface PyResult {
  outputs: { shape: number[]; data: number[] }[];
  names: string[];
}

/** Runs every job in one PyTorch process (importing torch takes seconds). */
function runPython(root: string, jobs: { dir: string; x: Tensor; ids: boolean }[]): PyResult[] {
  const list = join(root, "jobs.json");
  writeFileSync(list, JSON.stringify(jobs.map((j) => ({ dir: j.dir, input: { shape: j.x.shape, data: [...j.x.data], ids: j.ids } }))));
  writeFileSync(join(root, "runner.py"), RUNNER);
  const r = spawnSync("/usr/bin/python3", [join(root, "runner.py"), list], { encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, `python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PyResult[];
}

/** Our outputs flattened the way the runner flattens PyTorch's (output, then the state's tensors). */
function ours(model: Module, x: Tensor): Tensor[] {
  if (!isLayer(model)) throw new Error(`${model.describe()} has no forward`);
  const out: unknown = noGrad(() => model.forward(x));
  const flat: Tensor[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Tensor) flat.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) for (const k of ["h", "c"]) if (k in v) walk(Reflect.get(v, k));
  };
  walk(out);
  return flat;
}

const ids = (T: number, B: number, V: number): Tensor => new Tensor(Float32Array.from({ length: T * B }, (_, i) => (i * 7 + 3) % V), [T, B]);

// name, model, input, input holds ids, the weights map back through importPyTorch (PyTorch's own layers only).
const cases: [string, () => Module, () => Tensor, boolean, boolean?][] = [
  ["LSTM, 2 layers, bidirectional, projected", () => new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, projSize: 2 }), () => randn([4, 2, 3]), false],
  ["GRU, batch-first, no bias", () => new GRU({ inputSize: 3, hiddenSize: 4, batchFirst: true, bias: false }), () => randn([2, 4, 3]), false],
  ["RNN relu, 2 layers, dropout", () => new RNN({ inputSize: 3, hiddenSize: 4, numLayers: 2, nonlinearity: "relu", dropout: 0.25 }).eval(), () => randn([4, 2, 3]), false],
  [
    "TorchModel char LM: embedding + lstm + linear",
    () => new TorchModel([["embedding", new Embedding({ numEmbeddings: 9, embeddingDim: 4 })], ["rnn", new LSTM({ inputSize: 4, hiddenSize: 6 })], ["linear", new Linear({ inFeatures: 6, outFeatures: 9 })]]),
    () => ids(5, 2, 9),
    true,
  ],
  [
    "Sequential: embedding, dropout, GRU, linear",
    () => new Sequential([new Embedding({ numEmbeddings: 7, embeddingDim: 3 }), new Dropout(0.1), new GRU({ inputSize: 3, hiddenSize: 4, bidirectional: true }), new Linear({ inFeatures: 8, outFeatures: 7 })]).eval(),
    () => ids(4, 3, 7),
    true,
  ],
  ["PeepholeLSTM, 2 layers, bidirectional, batch-first (a generated class)", () => new PeepholeLSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, batchFirst: true }), () => randn([2, 5, 3]), false, false],
  ["LayerNormLSTM, 2 layers, without biases (a generated class)", () => new LayerNormLSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bias: false }), () => randn([5, 2, 3]), false, false],
  ["LayerNormLSTM with biases", () => new LayerNormLSTM({ inputSize: 2, hiddenSize: 3 }), () => randn([4, 2, 2]), false, false],
  [
    "Sequential: Highway (tanh, 2 layers) then Linear (a generated class)",
    () => new Sequential([new Highway({ size: 4, numLayers: 2, activation: "tanh" }), new Linear({ inFeatures: 4, outFeatures: 3 })]),
    () => randn([3, 2, 4]),
    false,
    false,
  ],
];

test("export to PyTorch: PyTorch's outputs from model.py + model.safetensors match ours within 1e-5; the weights import back", { timeout: 300_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), "recurrent-torch-export-"));
  try {
    manualSeed(11);
    const built = cases.map(([name, make, input, isIds, reimport = true], k) => {
      const model = make();
      // Non-zero layer-norm biases, so that a mix-up of gain and bias cannot pass.
      for (const [n, p] of Object.entries(model.stateDict())) if (n.includes("layernorm")) p.data.set(randn([p.size]).data);
      const dir = join(root, `case${k}`);
      exportPyTorchToDir(model, dir);
      return { name, model, dir, x: input(), ids: isIds, reimport };
    });
    const results = runPython(root, built);
    assert.equal(results.length, cases.length);
    built.forEach(({ name, model, dir, x, reimport }, k) => {
      const py = results[k]!;
      assert.deepEqual(py.names, Object.keys(model.stateDict()), `${name}: PyTorch's state dict names are ours`);
      const mine = ours(model, x);
      assert.equal(py.outputs.length, mine.length, `${name}: outputs and state tensors`);
      mine.forEach((t, i) => {
        assert.deepEqual(py.outputs[i]!.shape, t.shape, `${name}: tensor ${i} shape`);
        assertClose(py.outputs[i]!.data, t.data, `${name}: tensor ${i}`);
      });
      assert.match(readFileSync(join(dir, PYTORCH_MODEL_FILE), "utf8"), /^"""The model exported by recurrent's exportPyTorch/);
      if (!reimport) return;
      // And back: the exported weights import to a model that computes exactly the same.
      const again = importPyTorch(new Uint8Array(readFileSync(join(dir, PYTORCH_WEIGHTS_FILE))), {
        nonlinearity: model instanceof RNN ? model.nonlinearity : "tanh",
        batchFirst: model instanceof GRU ? model.batchFirst : false,
      });
      assert.deepEqual(Object.keys(again.stateDict()).sort(), Object.keys(model.stateDict()).sort());
      // The Sequential's Dropout has no weights, so it comes back as a TorchModel without a forward.
      if (!(model instanceof Sequential)) ours(again, x).forEach((t, i) => assertClose(t.data, mine[i]!.data, `${name}: re-imported tensor ${i}`, 0, 0));
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

class Doubler extends Module {
  override describe(): string {
    return "Doubler";
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

test("exportPyTorch names the module it cannot write, before writing anything", () => {
  const model = new TorchModel([["rnn", new LSTM({ inputSize: 2, hiddenSize: 3 })], ["post", new Doubler()]]);
  assert.throws(() => exportPyTorch(model), /exportPyTorch: sub-module "post" is Doubler, which has no PyTorch counterpart here; exported are LSTM, GRU, RNN, PeepholeLSTM/);
  const dir = mkdtempSync(join(tmpdir(), "recurrent-torch-export-"));
  try {
    assert.throws(() => exportPyTorchToDir(model, join(dir, "out")), /sub-module "post" is Doubler/);
    assert.equal(existsSync(join(dir, "out")), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the generated model.py spells constructor arguments from getConfig", () => {
  const { modelPy, weights } = exportPyTorch(new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, batchFirst: true, projSize: 2 }));
  assert.match(modelPy, /class Model\(nn\.LSTM\):[\s\S]*super\(\)\.__init__\(input_size=3, hidden_size=5, num_layers=2, bias=True, batch_first=True, dropout=0\.0, bidirectional=False, proj_size=2\)/);
  assert.ok(weights.length > 8);
});
