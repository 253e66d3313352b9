// TF.js Layers interop: models that TF.js wrote (tools/gen_tfjs_interop_fixtures.ts; the reset_after
// GRU, which TF.js lacks, in Keras's layout with outputs from Keras's equations in TF.js ops) are read and
// give TF.js's outputs within 1e-5, or are refused with the reason; models written here are
// loaded by TF.js and give our outputs; the reader's checks on hostile files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { manualSeed, randn, Tensor, LSTM, GRU, RNN, Linear, Embedding, Dropout, Sequential, PeepholeLSTM } from "../../../src/index.js";
import { readTfjsLayersModel, writeTfjsLayersModel, TfjsFormatError, type TfjsModelDescription } from "../../../src/io/interop/tfjs/format.js";
import { modelToTfjs, tfjsToModel } from "../../../src/io/interop/tfjs/map.js";
import { importTfjsFile } from "../../../src/io/interop/tfjs/node.js";
import type { Module } from "../../../src/nn/module.js";

const fixtures = fileURLToPath(new URL("../../fixtures/interop/tfjs/", import.meta.url));
const TOL = 1e-5;

interface Expected {
  input: { ids: boolean; shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] } | null;
  refused: string | null;
}

function worst(a: ArrayLike<number>, b: ArrayLike<number>, what: string): number {
  assert.equal(a.length, b.length, `${what}: length`);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!));
  assert.ok(w <= TOL, `${what}: largest deviation ${w} > ${TOL}`);
  return w;
}

function run(model: Sequential, x: Tensor): Tensor {
  model.eval();
  const y = model.forward(x);
  return y instanceof Tensor ? y : y[0];
}

test("models TF.js wrote: read and run within 1e-5 of TF.js, or refused naming the layer and setting", () => {
  const names = readdirSync(fixtures).sort();
  assert.equal(names.length, 8);
  let compared = 0;
  for (const name of names) {
    const dir = join(fixtures, name);
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Expected;
    if (expected.refused !== null) {
      assert.throws(() => importTfjsFile(join(dir, "model.json")), (e: unknown) => e instanceof TfjsFormatError && e.message.includes(expected.refused!) && /layer \d+ \(/.test(e.message), name);
      // The file itself is read: the refusal is the mapping's.
      const desc = readTfjsLayersModel(readFileSync(join(dir, "model.json")), (p) => readFileSync(join(dir, p)));
      assert.ok(desc.layers.length > 0);
      continue;
    }
    const model = importTfjsFile(join(dir, "model.json"));
    const x = new Tensor(Float32Array.from(expected.input.data), expected.input.shape);
    const y = run(model, x);
    assert.deepEqual([...y.shape], expected.output!.shape, name);
    worst(y.data, expected.output!.data, name);
    compared++;
  }
  assert.equal(compared, 4);
});

async function tfjsPredict(desc: TfjsModelDescription, x: Tensor, ids: boolean): Promise<Float32Array> {
  const files = writeTfjsLayersModel(desc);
  const json = JSON.parse(files.modelJson) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const buffer = files.weights.buffer.slice(files.weights.byteOffset, files.weights.byteOffset + files.weights.byteLength);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: buffer }));
  const out = model.predict(tf.tensor(Array.from(x.data), [...x.shape], ids ? "int32" : "float32"));
  if (Array.isArray(out)) throw new Error("one output expected");
  return Float32Array.from(out.dataSync());
}

test("models written here load in TF.js and give our outputs within 1e-5; reading them back is exact", async () => {
  await tf.setBackend("cpu");
  manualSeed(21);
  const cases: [string, Sequential, Tensor, boolean][] = [
    [
      "Embedding, 2-layer bidirectional LSTM with dropout, Linear",
      new Sequential([new Embedding({ numEmbeddings: 6, embeddingDim: 3 }), new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, dropout: 0.3, batchFirst: true }), new Linear({ inFeatures: 8, outFeatures: 5 })]),
      new Tensor(Float32Array.from([1, 5, 0, 2, 3, 4, 4, 1]), [2, 4]),
      true,
    ],
    ["relu RNN without bias, Dropout, Linear without bias", new Sequential([new RNN({ inputSize: 2, hiddenSize: 3, nonlinearity: "relu", bias: false, batchFirst: true }), new Dropout(0.2), new Linear({ inFeatures: 3, outFeatures: 2, bias: false })]), randn([3, 5, 2]), false],
    ["tanh RNN, 2 layers", new Sequential([new RNN({ inputSize: 2, hiddenSize: 3, numLayers: 2, batchFirst: true })]), randn([2, 3, 2]), false],
  ];
  for (const [name, model, x, ids] of cases) {
    const desc = modelToTfjs(model);
    const ours = run(model, x);
    worst(await tfjsPredict(desc, x, ids), ours.data, `${name}: TF.js`);
    const files = writeTfjsLayersModel(desc);
    const back = tfjsToModel(readTfjsLayersModel(new TextEncoder().encode(files.modelJson), () => files.weights));
    worst(run(back, x).data, ours.data, `${name}: read back`);
  }
});

test("GRU (reset_after) is written as Keras 2+ writes it: TF.js refuses to load it, reading it back is exact", async () => {
  manualSeed(5);
  const model = new Sequential([new GRU({ inputSize: 2, hiddenSize: 3, bidirectional: true, batchFirst: true }), new Linear({ inFeatures: 6, outFeatures: 2 })]);
  const x = randn([2, 4, 2]);
  const desc = modelToTfjs(model);
  assert.equal(desc.layers[0]!.className, "Bidirectional");
  await assert.rejects(tfjsPredict(desc, x, false));
  const files = writeTfjsLayersModel(desc);
  const back = tfjsToModel(readTfjsLayersModel(new TextEncoder().encode(files.modelJson), () => files.weights));
  const a = model.stateDict();
  const b = back.stateDict();
  for (const k of Object.keys(a)) assert.deepEqual(b[k]!.data, a[k]!.data, k);
  worst(run(back, x).data, run(model, x).data, "GRU read back");
});

test("the reader refuses hostile or broken files before allocating, naming the field", () => {
  manualSeed(3);
  const files = writeTfjsLayersModel(modelToTfjs(new Sequential([new LSTM({ inputSize: 2, hiddenSize: 2, batchFirst: true })])));
  const json = JSON.parse(files.modelJson) as { weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string; quantization?: object }[] }[]; modelTopology: { class_name: string } };
  const read = (edit: (j: typeof json) => void, shard: Uint8Array = files.weights): TfjsModelDescription => {
    const j = structuredClone(json);
    edit(j);
    return readTfjsLayersModel(new TextEncoder().encode(JSON.stringify(j)), () => shard);
  };
  const refused = (edit: (j: typeof json) => void, message: RegExp, shard?: Uint8Array): void => {
    assert.throws(() => read(edit, shard), (e: unknown) => e instanceof TfjsFormatError && message.test(e.message), String(message));
  };
  refused((j) => (j.weightsManifest[0]!.paths = ["../../etc/passwd"]), /a shard path must be a plain file name beside model\.json, got "\.\.\/\.\.\/etc\/passwd"/);
  refused((j) => (j.weightsManifest[0]!.weights[0]!.shape = [2 ** 20, 2 ** 20]), /is over the 2147483648-byte limit/);
  refused((j) => (j.weightsManifest[0]!.weights[0]!.shape = [-1, 8]), /must hold non-negative integers/);
  refused((j) => (j.weightsManifest[0]!.weights[0]!.dtype = "int32"), /dtype must be "float32", got "int32"/);
  refused((j) => (j.weightsManifest[0]!.weights[0]!.quantization = { dtype: "uint8" }), /is quantised; only float32 weights are read/);
  refused((j) => (j.modelTopology.class_name = "Functional"), /class_name must be "Sequential" \(functional models are not read\), got "Functional"/);
  refused((j) => (j.weightsManifest[0]!.weights[0]!.name = "other/kernel"), /the weight "other\/kernel" belongs to no layer/);
  refused(() => undefined, /shards hold 100 bytes but its weights need 160 \(a shard is truncated or missing\)/, files.weights.subarray(0, 100));
  refused(() => undefined, /shards hold more than the 160 bytes its weights need/, new Uint8Array(200));
  assert.throws(() => readTfjsLayersModel(new TextEncoder().encode("[1, 2"), () => files.weights), TfjsFormatError);
  // And the writer's refusals: what Keras has no layer for.
  assert.throws(() => modelToTfjs(new PeepholeLSTM({ inputSize: 2, hiddenSize: 2 })), /cell "peephole_lstm" has no Keras layer/);
  assert.throws(() => modelToTfjs(new LSTM({ inputSize: 2, hiddenSize: 3, projSize: 2 })), /Keras's LSTM has no projection/);
  const notALayer: Module = new Sequential([new Linear({ inFeatures: 2, outFeatures: 2 })]);
  assert.equal(modelToTfjs(notALayer).layers[0]!.className, "Dense");
});
