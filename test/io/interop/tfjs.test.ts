// TF.js Layers interop: models that TF.js wrote (tools/gen_tfjs_interop_fixtures.ts; the reset_after
// GRU, which TF.js lacks, in Keras's layout with outputs from Keras's equations in TF.js ops) are read
// as Keras-style layers and give TF.js's outputs within 1e-5, or are refused with the reason;
// models written here (PyTorch-style and Keras-style) are loaded by TF.js and give our outputs;
// what the files cannot hold is refused on writing; the PyTorch-style view of Keras layers; the
// reader's checks on hostile files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { manualSeed, randn, Tensor, LSTM, GRU, RNN, Linear, Embedding, Dropout, Sequential, PeepholeLSTM, Masking } from "../../../src/index.js";
import { KerasLSTM, KerasGRU, KerasSimpleRNN } from "../../../src/nn/keras/layers.js";
import { KerasBidirectional } from "../../../src/nn/keras/bidirectional.js";
import { KerasDense } from "../../../src/nn/keras/dense.js";
import { KerasRecurrent } from "../../../src/nn/keras/recurrent.js";
import { torchStyleModel } from "../../../src/io/interop/tfjs/torch-style.js";
import { readTfjsLayersModel, writeTfjsLayersModel, TfjsFormatError, type TfjsModelDescription } from "../../../src/io/interop/tfjs/format.js";
import { tfjsToModel } from "../../../src/io/interop/tfjs/map.js";
import { modelToTfjs } from "../../../src/io/interop/tfjs/write.js";
import { importTfjsFile } from "../../../src/io/interop/tfjs/node.js";
import type { Module } from "../../../src/nn/module.js";

const fixtures = fileURLToPath(new URL("../../fixtures/interop/tfjs/", import.meta.url));
const TOL = 1e-5;

interface Call {
  input: { ids: boolean; shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] } | null;
}

interface Expected {
  calls: Call[];
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

test("models TF.js wrote: read as Keras-style layers and run within 1e-5 of TF.js, or refused naming the layer and class", () => {
  const names = readdirSync(fixtures).sort();
  assert.equal(names.length, 15);
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
    assert.ok(model.layers().some((l) => l instanceof KerasRecurrent || l instanceof KerasBidirectional), `${name}: Keras-style layers`);
    // Consecutive calls: a stateful model's second call continues from the first's state.
    expected.calls.forEach((c, k) => {
      const y = run(model, new Tensor(Float32Array.from(c.input.data), c.input.shape));
      assert.deepEqual([...y.shape], c.output!.shape, `${name} call ${k}`);
      worst(y.data, c.output!.data, `${name} call ${k}`);
    });
    compared++;
  }
  assert.equal(compared, 14);
});

/** TF.js's predictions for each input in turn, from the files written for `desc` (loaded from memory, as tf.io reads them). */
async function tfjsPredict(desc: TfjsModelDescription, xs: Tensor[], ids: boolean): Promise<Float32Array[]> {
  const files = writeTfjsLayersModel(desc);
  const json = JSON.parse(files.modelJson) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const buffer = files.weights.buffer.slice(files.weights.byteOffset, files.weights.byteOffset + files.weights.byteLength);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: buffer }));
  return xs.map((x) => {
    const out = model.predict(tf.tensor(Array.from(x.data), [...x.shape], ids ? "int32" : "float32"));
    if (Array.isArray(out)) throw new Error("one output expected");
    return Float32Array.from(out.dataSync());
  });
}

/** Our outputs for each input in turn; TF.js's from the written files; and the files read back here: all within 1e-5. */
async function roundTrip(name: string, model: Sequential, xs: Tensor[], ids: boolean): Promise<void> {
  const ours = xs.map((x) => run(model, x));
  const desc = modelToTfjs(model);
  (await tfjsPredict(desc, xs, ids)).forEach((y, k) => worst(y, ours[k]!.data, `${name}: TF.js call ${k}`));
  const files = writeTfjsLayersModel(desc);
  const back = tfjsToModel(readTfjsLayersModel(new TextEncoder().encode(files.modelJson), () => files.weights));
  xs.forEach((x, k) => worst(run(back, x).data, ours[k]!.data, `${name}: read back call ${k}`));
}

/** (B, T, F) normal features with the steps past each row's length set to zero (Masking's padding). */
function padded(B: number, T: number, F: number, lengths: number[]): Tensor {
  const x = randn([B, T, F]);
  for (let b = 0; b < B; b++) x.data.fill(0, (b * T + lengths[b]!) * F, (b + 1) * T * F);
  return x;
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
  for (const [name, model, x, ids] of cases) await roundTrip(name, model, [x], ids);
});

test("Keras-style models written here load in TF.js and give our outputs within 1e-5: every setting TF.js has", async () => {
  await tf.setBackend("cpu");
  manualSeed(8);
  const ids = new Tensor(Float32Array.from([3, 1, 4, 1, 5, 0, 2, 6, 0, 0, 0, 0]), [2, 6]);
  const cases: [string, Sequential, Tensor[], boolean][] = [
    [
      "hard-sigmoid LSTM, reset-before GRU (last step), sigmoid Dense",
      new Sequential([new KerasLSTM({ units: 3, recurrentActivation: "hardSigmoid", returnSequences: true, inputDim: 2 }), new KerasGRU({ units: 2, resetAfter: false, recurrentActivation: "hard_sigmoid" }), new KerasDense({ units: 1, activation: "sigmoid" })]),
      [randn([2, 4, 2])],
      false,
    ],
    [
      "goBackwards GRU and SimpleRNN (relu), dropout settings",
      new Sequential([new KerasGRU({ units: 3, resetAfter: false, goBackwards: true, returnSequences: true, dropout: 0.3, recurrentDropout: 0.2, inputDim: 2 }), new KerasSimpleRNN({ units: 2, activation: "relu", goBackwards: true, useBias: false })]),
      [randn([3, 5, 2])],
      false,
    ],
    [
      "Embedding maskZero, Bidirectional ave (last step), Dense",
      new Sequential([new Embedding({ numEmbeddings: 7, embeddingDim: 3, maskZero: true }), new KerasBidirectional(new KerasLSTM({ units: 3, inputDim: 3 }), { mergeMode: "ave" }), new KerasDense({ units: 2, activation: "tanh" })]),
      [ids],
      true,
    ],
    [
      "Masking, Bidirectional mul then sum, masks handed on",
      new Sequential([
        new Masking({ maskValue: 0 }),
        new KerasBidirectional(new KerasGRU({ units: 2, resetAfter: false, returnSequences: true, inputDim: 2 }), { mergeMode: "mul" }),
        new KerasBidirectional(new KerasSimpleRNN({ units: 2, returnSequences: true, inputDim: 2 }), { mergeMode: "sum" }),
        new KerasDense({ units: 2 }),
      ]),
      [padded(3, 4, 2, [4, 2, 1])],
      false,
    ],
    ["stateful LSTM over two calls", new Sequential([new KerasLSTM({ units: 3, stateful: true, returnSequences: true, inputDim: 2 }), new KerasDense({ units: 2 })]), [randn([2, 3, 2]), randn([2, 3, 2])], false],
  ];
  for (const [name, model, xs, isIds] of cases) await roundTrip(name, model, xs, isIds);
});

test("GRU (reset_after) is written as Keras 2+ writes it: TF.js refuses to load it, reading it back is exact", async () => {
  manualSeed(5);
  const model = new Sequential([new GRU({ inputSize: 2, hiddenSize: 3, bidirectional: true, batchFirst: true }), new Linear({ inFeatures: 6, outFeatures: 2 })]);
  const x = randn([2, 4, 2]);
  const desc = modelToTfjs(model);
  assert.equal(desc.layers[0]!.className, "Bidirectional");
  assert.deepEqual(writeTfjsLayersModel(desc).tfjsRefuses, ["bidirectional: a GRU with reset_after=true (Keras 2+'s default), which TF.js cannot load; Keras and this library read it (use resetAfter: false for TF.js)"]);
  await assert.rejects(tfjsPredict(desc, [x], false), /reset_after/i);
  const files = writeTfjsLayersModel(desc);
  const back = tfjsToModel(readTfjsLayersModel(new TextEncoder().encode(files.modelJson), () => files.weights));
  // Read back as Keras-style layers; their PyTorch-style view holds the very weights written.
  const a = model.stateDict();
  const b = torchStyleModel(back, "read back").stateDict();
  for (const k of Object.keys(a)) assert.deepEqual(b[k]!.data, a[k]!.data, k);
  worst(run(back, x).data, run(model, x).data, "GRU read back");
  // The Keras-style GRU with resetAfter (its default) too: written in Keras's layout, refused by TF.js, read back exactly.
  const keras = new Sequential([new KerasGRU({ units: 3, returnSequences: true, inputDim: 2 })]);
  const kdesc = modelToTfjs(keras);
  assert.equal(kdesc.layers[0]!.config["reset_after"], true);
  assert.equal(kdesc.tfjsRefuses?.length, 1);
  // What TF.js loads says nothing.
  assert.deepEqual(modelToTfjs(new Sequential([new KerasGRU({ units: 3, resetAfter: false, inputDim: 2 })])).tfjsRefuses, []);
  await assert.rejects(tfjsPredict(kdesc, [x], false));
  const kfiles = writeTfjsLayersModel(kdesc);
  worst(run(tfjsToModel(readTfjsLayersModel(new TextEncoder().encode(kfiles.modelJson), () => kfiles.weights)), x).data, run(keras, x).data, "Keras GRU read back");
});

test("what TF.js files cannot hold is refused on writing, naming the layer and setting", () => {
  const refused = (model: Sequential, message: RegExp): void => assert.throws(() => modelToTfjs(model), (e: unknown) => e instanceof TfjsFormatError && message.test(e.message), String(message));
  refused(new Sequential([new KerasLSTM({ units: 2, recurrentActivation: "hardSigmoidKeras3", inputDim: 2 })]), /KerasLSTM\(units=2\): recurrentActivation "hardSigmoidKeras3" has no TF\.js counterpart \(TF\.js's hard_sigmoid is Keras 2's/);
  refused(new Sequential([new KerasGRU({ units: 2, returnState: true, inputDim: 2 })]), /returnState = true, but a TF\.js Sequential passes one batch-first tensor/);
  refused(new Sequential([new KerasGRU({ units: 2, timeMajor: true, inputDim: 2 })]), /timeMajor = true/);
  refused(new Sequential([new KerasBidirectional(new KerasLSTM({ units: 2, inputDim: 2 }), { mergeMode: null })]), /mergeMode null gives two outputs/);
  refused(new Sequential([new KerasLSTM({ units: 2, stateful: true, inputDim: 2 })]), /stateful layer's batch size is not fixed yet.*call the model once/);
  refused(new Sequential([new KerasLSTM({ units: 2 })]), /KerasLSTM\(units=2\) is not built yet/);
  refused(new Sequential([new Masking(), new Dropout(0.1)]), /no layer gives the input's shape/);
});

test("Keras-style layers become PyTorch-style ones where exact (the char LM import), and are refused with the reason where not", () => {
  manualSeed(4);
  const x = randn([2, 5, 3]);
  const keras = new Sequential([new KerasBidirectional(new KerasGRU({ units: 3, returnSequences: true, inputDim: 3 })), new KerasLSTM({ units: 2, returnSequences: true, inputDim: 6 }), new KerasSimpleRNN({ units: 2, activation: "relu", returnSequences: true, useBias: false, inputDim: 2 }), new KerasDense({ units: 4, inputDim: 2 })]);
  const torch = torchStyleModel(keras, "m");
  assert.deepEqual(torch.layers().map((l) => l.constructor.name), ["GRU", "LSTM", "RNN", "Linear"]);
  worst(run(torch, x).data, run(keras, x).data, "PyTorch-style");
  const refused = (m: Sequential, message: RegExp): void => assert.throws(() => torchStyleModel(m, "m"), (e: unknown) => e instanceof TfjsFormatError && message.test(e.message), String(message));
  refused(new Sequential([new KerasLSTM({ units: 2, inputDim: 2 })]), /m: layer 0 \(KerasLSTM\(units=2\)\) has no PyTorch-style counterpart: it must return sequences/);
  refused(new Sequential([new KerasLSTM({ units: 2, returnSequences: true, recurrentActivation: "hardSigmoid", inputDim: 2 })]), /activations tanh\/hardSigmoid/);
  refused(new Sequential([new KerasGRU({ units: 2, returnSequences: true, resetAfter: false, inputDim: 2 })]), /a reset-before GRU/);
  refused(new Sequential([new KerasBidirectional(new KerasLSTM({ units: 2, returnSequences: true, inputDim: 2 }), { mergeMode: "sum" })]), /mergeMode sum/);
  refused(new Sequential([new KerasDense({ units: 2, activation: "relu", inputDim: 2 })]), /activation relu/);
  refused(new Sequential([new Embedding({ numEmbeddings: 3, embeddingDim: 2, maskZero: true })]), /mask_zero/);
  refused(new Sequential([new KerasDense({ units: 2 })]), /is not built yet/);
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
  // A config asking for more than the file's weights hold is refused before the layer allocates it.
  const greedy = read(() => undefined);
  greedy.layers[0]!.config["units"] = 2 ** 30;
  greedy.layers[0]!.config["batch_input_shape"] = [null, null, 2 ** 30];
  assert.throws(() => tfjsToModel(greedy), (e: unknown) => e instanceof TfjsFormatError && /layer 0 \("LSTM" "lstm"\): expected kernel \[I, 4294967296\] first \(units = 1073741824\), got "lstm\/kernel" \[2, 8\]/.test(e.message));
  // And the writer's refusals: what Keras has no layer for.
  assert.throws(() => modelToTfjs(new PeepholeLSTM({ inputSize: 2, hiddenSize: 2 })), /cell "peephole_lstm" has no Keras layer/);
  assert.throws(() => modelToTfjs(new LSTM({ inputSize: 2, hiddenSize: 3, projSize: 2 })), /Keras's LSTM has no projection/);
  const notALayer: Module = new Sequential([new Linear({ inFeatures: 2, outFeatures: 2 })]);
  assert.equal(modelToTfjs(notALayer).layers[0]!.className, "Dense");
});
