// saveModel / loadModel (and the browser-safe serializeModel / deserializeModel): config JSON plus
// safetensors weights, for Sequential models and a user's own Module subclass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Module,
  Sequential,
  Linear,
  Embedding,
  Highway,
  Dropout,
  LSTM,
  Tensor,
  manualSeed,
  randn,
  noGrad,
  registerLayer,
  serializeModel,
  deserializeModel,
  parseSafetensors,
  saveModel,
  loadModel,
  type LayerConfig,
} from "recurrent/node";

function throwsWith(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    for (const p of parts) assert.ok(e.message.includes(p), `message "${e.message}" lacks "${p}"`);
    return true;
  });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "recurrent-model-"));
}

const ids = new Tensor(new Float32Array([3, 1, 4, 1, 5, 9, 2, 6]), [4, 2]);

function sequentialModel(): Sequential {
  return new Sequential([
    new Embedding({ numEmbeddings: 10, embeddingDim: 5 }),
    new Highway({ size: 5, numLayers: 2, activation: "tanh" }),
    new Dropout(0.3),
    new Linear({ inFeatures: 5, outFeatures: 4 }),
  ]);
}

/** A user's model: layers as plain fields, a parameter field, and a static fromConfig. */
class Tagger extends Module {
  readonly embed: Embedding;
  readonly rnn: LSTM;
  readonly head: Linear;
  readonly temperature = new Tensor(new Float32Array([1.5]), [1], true);

  constructor(readonly opts: { vocab: number; width: number }) {
    super();
    this.embed = new Embedding({ numEmbeddings: opts.vocab, embeddingDim: opts.width });
    this.rnn = new LSTM({ inputSize: opts.width, hiddenSize: opts.width });
    this.head = new Linear({ inFeatures: opts.width, outFeatures: opts.vocab });
  }

  static fromConfig(config: LayerConfig): Tagger {
    const { vocab, width } = config;
    if (typeof vocab !== "number" || typeof width !== "number") throw new Error("Tagger: vocab and width must be numbers");
    return new Tagger({ vocab, width });
  }

  override describe(): string {
    return `Tagger(vocab=${this.opts.vocab}, width=${this.opts.width})`;
  }

  override getConfig(): LayerConfig {
    return { vocab: this.opts.vocab, width: this.opts.width };
  }

  forward(x: Tensor): Tensor {
    const [out] = this.rnn.forward(this.embed.forward(x));
    return this.head.forward(out).div(this.temperature);
  }
}
registerLayer("Tagger", Tagger);

function assertSameModel(a: Module, b: Module): void {
  assert.equal(b.constructor, a.constructor);
  assert.deepEqual(b.getConfig(), a.getConfig());
  const sa = a.stateDict();
  const sb = b.stateDict();
  assert.deepEqual(Object.keys(sb), Object.keys(sa));
  for (const [name, p] of Object.entries(sa)) {
    assert.deepEqual(sb[name]!.shape, p.shape, name);
    assert.deepEqual(sb[name]!.data, p.data, name);
  }
}

test("a Sequential of Embedding, Highway, Dropout and Linear round-trips through a folder", () => {
  manualSeed(21);
  const model = sequentialModel().eval();
  const dir = join(tempDir(), "nested", "lm");
  try {
    saveModel(model, dir);
    const json: unknown = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    assert.deepEqual(json, { format: "recurrent-model", version: 1, className: "Sequential", config: model.getConfig() });
    const weights = parseSafetensors(new Uint8Array(readFileSync(join(dir, "model.safetensors"))));
    assert.deepEqual(Object.keys(weights.tensors).sort(), Object.keys(model.stateDict()).sort());
    assert.ok(Object.values(weights.tensors).every((t) => t.dtype === "F32"));

    const loaded = loadModel(dir);
    assert.ok(loaded instanceof Sequential);
    assertSameModel(model, loaded);
    loaded.eval();
    assert.deepEqual(noGrad(() => loaded.forward(ids)).data, noGrad(() => model.forward(ids)).data);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a user's Module subclass with fields and static fromConfig round-trips, recurrent weights included", () => {
  manualSeed(22);
  const model = new Tagger({ vocab: 10, width: 3 });
  model.temperature.data[0] = 0.7;
  const dir = tempDir();
  try {
    saveModel(model, dir);
    const loaded = loadModel(dir);
    assert.ok(loaded instanceof Tagger);
    assertSameModel(model, loaded);
    assert.deepEqual(Object.keys(loaded.stateDict()), [
      "temperature",
      "embed.weight",
      "rnn.weight_ih_l0",
      "rnn.weight_hh_l0",
      "rnn.bias_ih_l0",
      "rnn.bias_hh_l0",
      "head.weight",
      "head.bias",
    ]);
    assert.deepEqual(loaded.forward(ids).data, model.forward(ids).data);
    // Saving again over the same folder replaces both files.
    model.head.bias!.data.fill(0.25);
    saveModel(model, dir);
    assert.ok(loadModel(dir) instanceof Tagger);
    const again = loadModel(dir);
    assert.ok(again instanceof Tagger && again.head.bias!.data.every((v) => v === 0.25));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("serializeModel / deserializeModel work on bytes, with no file system", () => {
  manualSeed(23);
  const model = sequentialModel();
  const files = serializeModel(model);
  assert.equal(typeof files.config, "string");
  assert.ok(files.weights instanceof Uint8Array);
  assertSameModel(model, deserializeModel(files));
  throwsWith(() => deserializeModel({ config: files.config, weights: files.weights.subarray(0, 20) }, { weights: "w.safetensors" }), "safetensors(w.safetensors):");
  throwsWith(() => deserializeModel({ config: files.config, weights: "abc" as never }), "weights: expected the safetensors bytes as a Uint8Array");
  throwsWith(() => deserializeModel(null as never), "deserializeModel: expected { config, weights }, got null");
});

test("saving a model whose class is not registered fails before writing anything", () => {
  class Unsaved extends Module {
    readonly lin = new Linear({ inFeatures: 2, outFeatures: 2 });
    override describe(): string {
      return "Unsaved()";
    }
    forward(x: Tensor): Tensor {
      return this.lin.forward(x);
    }
    override getConfig(): LayerConfig {
      return {};
    }
  }
  const dir = join(tempDir(), "never");
  throwsWith(() => saveModel(new Unsaved(), dir), 'Unsaved() is a Unsaved, which is not registered; call registerLayer("Unsaved", Unsaved)');
  assert.ok(!existsSync(dir));
  throwsWith(() => saveModel(new Sequential([new Unsaved()]), dir), "Sequential(Unsaved).getConfig: layer 0: layerToConfig:");
  assert.ok(!existsSync(dir));
});

test("a missing or corrupt file is a clear error naming the file", () => {
  manualSeed(24);
  const dir = tempDir();
  try {
    throwsWith(() => loadModel(join(dir, "absent")), "cannot read model config", join(dir, "absent", "model.json"), "no such file");
    saveModel(sequentialModel(), dir);
    const configPath = join(dir, "model.json");
    const weightsPath = join(dir, "model.safetensors");
    const goodConfig = readFileSync(configPath, "utf8");
    const goodWeights = readFileSync(weightsPath);

    writeFileSync(configPath, goodConfig.slice(0, 40));
    throwsWith(() => loadModel(dir), `loadModel(${dir}): ${configPath}: not valid JSON`, "corrupt");
    writeFileSync(configPath, JSON.stringify({ format: "keras", version: 1 }));
    throwsWith(() => loadModel(dir), 'format is "keras", expected "recurrent-model"');
    writeFileSync(configPath, goodConfig.replace('"version": 1', '"version": 2'));
    throwsWith(() => loadModel(dir), "version is 2 (written by a newer version of recurrent); this code reads version 1");
    writeFileSync(configPath, goodConfig.replace('"className": "Sequential"', '"className": "MyNet"'));
    throwsWith(() => loadModel(dir), "cannot rebuild the model", 'no layer is registered as "MyNet"', 'registerLayer("MyNet", MyNet)');

    // The config asks for a wider Linear than the weights hold.
    writeFileSync(configPath, goodConfig.replace('"outFeatures": 4', '"outFeatures": 6'));
    throwsWith(() => loadModel(dir), `${weightsPath}: the weights do not fit the model in ${configPath}`, "3.weight has shape [4, 5] but the module expects [6, 5]");
    // Weights of another model: the names differ.
    writeFileSync(configPath, goodConfig);
    writeFileSync(weightsPath, serializeModel(new Sequential([new Linear({ inFeatures: 5, outFeatures: 4 })])).weights);
    throwsWith(() => loadModel(dir), "parameter names do not match", "missing 1.layers.0.weight_h", "3.bias; unexpected 0.bias");

    writeFileSync(weightsPath, goodWeights.subarray(0, goodWeights.length - 8));
    throwsWith(() => loadModel(dir), `safetensors(${weightsPath})`);
    rmSync(weightsPath);
    throwsWith(() => loadModel(dir), "cannot read model weights", weightsPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
