// Keras model files in: every model tools/gen_keras_files.py saved with Keras 3.15.1, as a .keras
// archive and as a legacy .h5 file, is read (through importModel's format detection, and from its
// path) and gives Keras's predict outputs, and final states where the model returns them, within
// 1e-5; hard_sigmoid follows the file's Keras version; graphs that are not one chain, and broken
// or oversized files, are refused with a KerasFormatError naming the part.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Tensor, Sequential, importModel, detectModelFormat, importKeras, readKerasModel, KerasFormatError, KerasChainWithStates } from "../../../../src/index.js";
import { importKerasFile } from "../../../../src/node.js";
import { KerasRecurrent } from "../../../../src/nn/keras/recurrent.js";
import { readZip } from "../../../../src/io/interop/pytorch/zip.js";
import { writeZip } from "../../../../fuzz/pickle.js";
import type { Module } from "../../../../src/nn/module.js";

const dir = fileURLToPath(new URL("../../../fixtures/keras-files/", import.meta.url));
const TOL = 1e-5;

interface Case {
  case: string;
  input_shape: number[];
  input_dtype: "int32" | "float32";
  input: number[];
  outputs?: { shape: number[]; data: number[] }[];
  refuse?: string;
}

const cases: Case[] = readdirSync(dir)
  .filter((n) => n.endsWith(".json"))
  .sort()
  .map((n) => JSON.parse(readFileSync(join(dir, n), "utf8")) as Case);

function input(c: Case): Tensor {
  // Token ids go to Embedding as float32 values, as the library's tensors hold them.
  return new Tensor(Float32Array.from(c.input), c.input_shape);
}

function outputsOf(model: Module, x: Tensor): Tensor[] {
  model.eval();
  const y = (model as unknown as { forward(x: Tensor): Tensor | Tensor[] }).forward(x);
  return Array.isArray(y) ? y : [y];
}

function checkCase(c: Case, model: Module, what: string): void {
  const got = outputsOf(model, input(c));
  const want = c.outputs!;
  assert.equal(got.length, want.length, `${what}: number of outputs`);
  want.forEach((w, i) => {
    assert.deepEqual(got[i]!.shape, w.shape, `${what}: output ${i} shape`);
    const data = got[i]!.toArray();
    let worst = 0;
    for (let k = 0; k < w.data.length; k++) worst = Math.max(worst, Math.abs(data[k]! - w.data[k]!));
    assert.ok(worst <= TOL, `${what}: output ${i} deviates by ${worst}`);
  });
}

const readable = cases.filter((c) => c.outputs !== undefined);

test("the fixture matrix covers every layer and setting the importer reads", () => {
  const names = readable.map((c) => c.case).join(" ");
  for (const part of ["lstm", "gru_reset_after", "gru_reset_before", "simple_rnn", "bidi_lstm_concat", "bidi_gru_sum", "bidi_rnn_mul", "ave", "masking", "embedding_mask", "dropout", "_td", "functional_", "_state", "hard_sigmoid", "no_bias", "backwards"]) {
    assert.ok(names.includes(part), part);
  }
  assert.ok(readable.length >= 20);
});

for (const c of readable) {
  test(`${c.case}: the .keras and .h5 files give Keras's outputs${c.outputs!.length > 1 ? " and states" : ""} within 1e-5`, () => {
    for (const ext of [".keras", ".h5"]) {
      const bytes = new Uint8Array(readFileSync(join(dir, c.case + ext)));
      assert.equal(detectModelFormat(bytes), "keras", ext);
      const model = importModel(bytes);
      assert.ok(c.outputs!.length > 1 ? model instanceof KerasChainWithStates : model instanceof Sequential, ext);
      checkCase(c, model, `${c.case}${ext}`);
    }
    checkCase(c, importKerasFile(join(dir, `${c.case}.h5`)), `${c.case}.h5 by path`);
  });
}

test("a graph that is not one chain is refused, naming the layers where it branches", () => {
  const refused = cases.filter((c) => c.refuse !== undefined);
  assert.ok(refused.length > 0);
  for (const c of refused) {
    for (const ext of [".keras", ".h5"]) {
      const bytes = new Uint8Array(readFileSync(join(dir, c.case + ext)));
      assert.throws(() => importModel(bytes), (err: unknown) => err instanceof KerasFormatError && err.message.includes(c.refuse!) && /single chain/.test(err.message), ext);
    }
  }
});

/** A copy of `bytes` with every occurrence of `from` replaced by `to` (same length). */
function replaced(bytes: Uint8Array, from: string, to: string): Uint8Array {
  assert.equal(from.length, to.length);
  const out = bytes.slice();
  const f = new TextEncoder().encode(from);
  let n = 0;
  for (let i = 0; i + f.length <= out.length; i++) {
    if (f.every((b, j) => out[i + j] === b)) {
      out.set(new TextEncoder().encode(to), i);
      n++;
    }
  }
  assert.ok(n > 0, `${from} not found`);
  return out;
}

test("hard_sigmoid is Keras 3's relu6(x+3)/6 in a Keras 3 file and Keras 2's clipped 0.2x+0.5 in a Keras 2 file", () => {
  const keras3 = new Uint8Array(readFileSync(join(dir, "lstm_hard_sigmoid.h5")));
  // The keras_version attributes rewritten in place: the same file as Keras 2 would label it.
  const keras2 = replaced(keras3, "3.15.1", "2.15.0");
  const activation = (bytes: Uint8Array): unknown => {
    const lstm = (importKeras(bytes) as Sequential).children()[0];
    assert.ok(lstm instanceof KerasRecurrent);
    return lstm.options.recurrentActivation;
  };
  assert.equal(activation(keras3), "hardSigmoidKeras3");
  assert.equal(activation(keras2), "hardSigmoid");
  const dense = (bytes: Uint8Array): unknown => readKerasModel(bytes).layers[1]!.config["activation"];
  assert.equal(dense(keras3), "hardSigmoidKeras3");
  assert.equal(dense(keras2), "hardSigmoid");
});

function archiveWith(name: string, edit: (entries: Map<string, Uint8Array>) => void): Uint8Array {
  const entries = new Map(readZip(new Uint8Array(readFileSync(join(dir, name))), name));
  edit(entries);
  return writeZip([...entries]);
}

test("broken, hostile and oversized files are refused with a KerasFormatError naming the part", () => {
  const keras = new Uint8Array(readFileSync(join(dir, "bidi_gru_sum.keras")));
  const h5 = new Uint8Array(readFileSync(join(dir, "bidi_gru_sum.h5")));
  const refuses = (bytes: Uint8Array, pattern: RegExp, options = {}): void => {
    assert.throws(() => importKeras(bytes, options), (err: unknown) => err instanceof KerasFormatError && pattern.test(err.message) && err.message.length < 400, String(pattern));
  };
  refuses(keras.subarray(0, keras.length - 100), /model\.keras: not a readable \.keras archive/);
  refuses(h5.subarray(0, 2000), /model\.h5/);
  refuses(h5.subarray(0, 7), /neither a \.keras archive .* nor an HDF5/);
  refuses(h5, /over the 1000-byte limit/, { maxBytes: 1000 });
  refuses(archiveWith("bidi_gru_sum.keras", (e) => e.delete("model.weights.h5")), /the archive has no model\.weights\.h5/);
  refuses(archiveWith("bidi_gru_sum.keras", (e) => e.set("config.json", new TextEncoder().encode("[1, 2"))), /config\.json/);
  // A config that promises other sizes than the weights hold: refused before any value is read.
  const units = archiveWith("bidi_gru_sum.keras", (e) => e.set("config.json", replaced(e.get("config.json")!, '"units": 2', '"units": 9')));
  refuses(units, /layer "bidirectional.*" \(Bidirectional\).*shape \[3, 6\], expected \[n, 27\]/);
  const wrongClass = archiveWith("bidi_gru_sum.keras", (e) => e.set("config.json", replaced(e.get("config.json")!, '"class_name": "GRU"', '"class_name": "XYZ"')));
  refuses(wrongClass, /XYZ/);
  const stateModel = new Uint8Array(readFileSync(join(dir, "functional_lstm_state.keras")));
  assert.ok(importKeras(stateModel) instanceof KerasChainWithStates);
});
