// The char LM's LSTM variants through the command line: a peephole_lstm or layernorm_lstm run
// generates and is inspected (i, f, g, o, c, h); it exports to PyTorch (model.py defines the
// cell), train_ddp.py continues it in PyTorch, and `recurrent import` brings both the export and
// the continued weights back; ONNX and TF.js exports are refused by name, writing nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "recurrent";
import { parseSafetensors } from "../../src/io/safetensors.js";
import { loadCharLM } from "../../src/tasks/charlm/run-files.js";
import { BACKEND, cli } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "recurrent-cells-cli-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

const TINY = ["--hidden", "8", "--batch", "3", "--steps", "6", "--max-tokens", "400", "--epochs", "2", "--backend", BACKEND, "--quiet"];
const SAMPLE = ["--temperature", "1", "--seed", "7", "--length", "30", "--backend", BACKEND];

async function ok(...argv: string[]): Promise<string> {
  const r = await cli(...argv);
  assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

for (const [cell, label, own] of [
  ["peephole_lstm", "Peephole LSTM", "rnn.weight_co_l0"],
  ["layernorm_lstm", "Layer-norm LSTM", "rnn.layernorm_c_weight_l0"],
] as const) {
  test(`${cell}: train, generate, inspect, export to PyTorch, continue with train_ddp.py, import back; ONNX (peephole) or refused, TF.js refused`, async () => {
    const run = join(root, cell);
    await ok("train", "charlm", "--cell", cell, "--embed", "5", "--out", run, ...TINY);
    const original = await ok("generate", "--checkpoint", run, ...SAMPLE);
    assert.match(original, /^time traveller.{30}\n$/);

    const inspected = join(root, `${cell}-inspect`);
    assert.match(await ok("inspect", "--checkpoint", run, "--text", "the time", "--out", inspected, "--backend", BACKEND), new RegExp(`RNNLM\\(cell=${cell}, hiddenSize=8`));
    for (const s of ["i", "f", "g", "o", "c", "h"]) assert.ok(existsSync(join(inspected, `l0-${s}.svg`)), `l0-${s}.svg`);

    const refused = [["tfjs", join(root, `${cell}-tfjs`), /TF\.js Layers has no/]] as const satisfies readonly (readonly [string, string, RegExp])[];
    const refusedOnnx = [["onnx", join(root, `${cell}.onnx`), /ONNX has no recurrent operator with layer normalisation/]] as const;
    for (const [format, out, why] of cell === "peephole_lstm" ? refused : [...refusedOnnx, ...refused]) {
      const r = await cli("export", run, "--format", format, "--out", out);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`export --format ${format}: the run .* is a ${label} char LM \\(cell ${cell}\\)`));
      assert.match(r.stderr, why);
      assert.match(r.stderr, /Export it with --format pytorch/);
      assert.equal(existsSync(out), false, `${format}: nothing written`);
    }

    if (cell === "peephole_lstm") {
      // ONNX's LSTM holds peepholes in its input P: the run goes out and comes back exactly.
      const onnx = join(root, `${cell}.onnx`);
      await ok("export", run, "--format", "onnx", "--out", onnx);
      const fromOnnx = join(root, `${cell}-from-onnx`);
      await ok("import", onnx, "--out", fromOnnx);
      assert.equal(await ok("generate", "--checkpoint", fromOnnx, ...SAMPLE), original);
      const a = loadCharLM(run).model.stateDict();
      const b = loadCharLM(fromOnnx).model.stateDict();
      for (const k of Object.keys(a)) assert.deepEqual(b[k]?.data, a[k]!.data, k);
    }

    const pt = join(root, `${cell}-pt`);
    await ok("export", run, "--format", "pytorch", "--out", pt);
    assert.match(readFileSync(join(pt, "model.py"), "utf8"), new RegExp(`self\\.rnn = ${cell === "peephole_lstm" ? "PeepholeLSTM" : "LayerNormLSTM"}\\(`));
    const back = join(root, `${cell}-back`);
    assert.match(await ok("import", pt, "--out", back), new RegExp(`${label}, 1 layer, 8 hidden, embedding 5`));
    assert.equal(await ok("generate", "--checkpoint", back, ...SAMPLE), original);
    const a = loadCharLM(run).model.stateDict();
    const b = loadCharLM(back).model.stateDict();
    assert.deepEqual(Object.keys(b), Object.keys(a));
    for (const k of Object.keys(a)) assert.deepEqual(b[k]!.data, a[k]!.data, k);

    // PyTorch trains the exported cell on (one process), and its weights come back.
    const ddp = join(root, `${cell}-ddp`);
    const py = spawnSync("/usr/bin/python3", [join(pt, "train_ddp.py"), "--epochs", "2", "--out", ddp], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
    assert.equal(py.status, 0, py.stderr);
    const epochs = py.stdout.trim().split("\n").map((l) => JSON.parse(l) as { epoch: number; loss: number });
    assert.deepEqual(epochs.map((e) => e.epoch), [1, 2]);
    assert.ok(epochs.every((e) => Number.isFinite(e.loss)));
    const continued = join(root, `${cell}-continued`);
    await ok("import", ddp, "--out", continued);
    const written = parseSafetensors(readFileSync(join(ddp, "model.safetensors"))).tensors;
    const c = loadCharLM(continued).model.stateDict();
    assert.deepEqual(c[own]!.data, written[own]!.data, own);
    assert.notDeepEqual(c[own]!.data, a[own]!.data, `${own} was trained in PyTorch`);
  });
}

test("an edited PyTorch export of an LSTM variant is refused before the model is built", async () => {
  const { variantCharLMFromStateDict } = await import("../../src/io/interop/charlm/variant-dict.js");
  const { readTorchStateDict } = await import("../../src/io/interop/pytorch/read.js");
  const dict = readTorchStateDict(readFileSync(join(root, "peephole_lstm-pt", "model.safetensors")));
  const rename = (from: string, to: string): Map<string, NonNullable<ReturnType<typeof dict.get>>> => new Map([...dict].map(([k, v]) => [k === from ? to : k, v]));
  assert.throws(() => variantCharLMFromStateDict(rename("rnn.bias_hh_l0", "rnn.bias_hh_l99"), "m"), /m: numLayers must be at most 16, got 100/);
  assert.throws(() => variantCharLMFromStateDict(rename("rnn.bias_hh_l0", "rnn.bias_hh_l3"), "m"), /m: not a peephole_lstm char LM: its names and shapes describe a model of \d+ parameters, but it holds \d+ values/);
  const noLinear = new Map(dict);
  noLinear.delete("linear.weight");
  assert.throws(() => variantCharLMFromStateDict(noLinear, "m"), /m: not a peephole_lstm char LM: linear\.weight is missing/);
  assert.equal(variantCharLMFromStateDict(new Map([...dict].filter(([k]) => !/weight_c[ifo]/.test(k))), "m"), null, "a plain LSTM's dict is left to the generic importer");
});
