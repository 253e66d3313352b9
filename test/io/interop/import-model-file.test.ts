// importModelFile: one entry point for a path, every format, told from the path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importModel, importModelFile, importTfjsFile, type Module } from "recurrent/node";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures");

function sameWeights(a: Module, b: Module, what: string): void {
  const x = a.stateDict();
  const y = b.stateDict();
  assert.deepEqual(Object.keys(x), Object.keys(y), `${what}: parameter names`);
  assert.ok(Object.keys(x).length > 0, `${what}: has parameters`);
  for (const k of Object.keys(x)) assert.deepEqual(x[k]!.data, y[k]!.data, `${what}: ${k}`);
}

for (const [format, rel] of [
  ["keras", "keras-files/lstm_last.keras"],
  ["keras", "keras-files/lstm_last.h5"],
  ["onnx", "interop/onnx/lstm_1layer.onnx"],
  ["pytorch", "interop/pytorch-cells/layernorm_lstm_L1_bi_nobias.pt"],
] as const) {
  test(`importModelFile reads ${rel} (${format}) as importModel reads its bytes`, () => {
    const path = join(fixtures, rel);
    const fromPath = importModelFile(path);
    sameWeights(fromPath, importModel(new Uint8Array(readFileSync(path))), rel);
    sameWeights(importModelFile(path, { format }), fromPath, `${rel} with format`);
  });
}

test("importModelFile reads a TF.js folder (model.json and its shards beside it)", () => {
  const path = join(fixtures, "interop", "tfjs", "lstm-last-step");
  sameWeights(importModelFile(path), importTfjsFile(join(path, "model.json")), "tfjs folder");
});

test("importModelFile: an extensionless file is told from its first bytes", () => {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-import-file-"));
  const copy = join(dir, "weights");
  writeFileSync(copy, readFileSync(join(fixtures, "keras-files", "lstm_last.h5")));
  sameWeights(importModelFile(copy), importModelFile(join(fixtures, "keras-files", "lstm_last.h5")), "no extension");
});

test("importModelFile: bad arguments and missing paths are named", () => {
  assert.throws(() => importModelFile(""), /importModelFile: path must be a non-empty string, got ""/);
  assert.throws(() => importModelFile(join(fixtures, "nothing-here.onnx")), /importModelFile: .*nothing-here\.onnx does not exist/);
  assert.throws(() => importModelFile(join(fixtures, "keras-files", "lstm_last.keras"), { format: "caffe" as "onnx" }), /importModelFile: option format must be one of "pytorch", "onnx", "tfjs", "keras", got "caffe"/);
});
