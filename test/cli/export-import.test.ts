// recurrent export / import: a char LM run to PyTorch, ONNX and TF.js files and back into run folders
// that generate the same text and train on; the ONNX file run by onnxruntime-node gives the
// run's logits; and the commands' refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import "recurrent";
import { loadCharLM } from "../../src/tasks/charlm/run-files.js";
import { BACKEND, cli } from "./helpers.js";

ort.env.logLevel = "error";
const root = mkdtempSync(join(tmpdir(), "recurrent-interop-cli-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

const run = join(root, "run");
const TINY = ["--hidden", "10", "--batch", "3", "--steps", "6", "--max-tokens", "400", "--checkpoint-every", "2", "--backend", BACKEND, "--quiet"];
const SAMPLE = ["--temperature", "1", "--seed", "7", "--length", "40", "--backend", BACKEND];

async function ok(...argv: string[]): Promise<string> {
  const r = await cli(...argv);
  assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

test("a run exported to PyTorch, ONNX and TF.js and imported back generates the same text, and trains on", async () => {
  await ok("train", "charlm", "--cell", "gru", "--embed", "6", "--epochs", "2", "--out", run, ...TINY);
  const original = await ok("generate", "--checkpoint", run, ...SAMPLE);

  const pt = join(root, "pt");
  const listed = await ok("export", run, "--format", "pytorch", "--out", pt);
  for (const f of ["model.safetensors", "model.py", "charlm.json", "train_ddp.py"]) {
    assert.ok(existsSync(join(pt, f)), f);
    assert.match(listed, new RegExp(`wrote .*${f.replace(".", "\\.")}`));
  }
  const onnx = join(root, "model.onnx");
  const json = JSON.parse(await ok("export", run, "--format", "onnx", "--out", onnx, "--json")) as { files: string[] };
  assert.deepEqual(json.files, [onnx, join(root, "model.charlm.json")]);

  const tfjs = join(root, "tfjs");
  // The run is a GRU (resetAfter true, PyTorch's form): the files are written, and the export says TF.js will not load them.
  const tfjsExport = await cli("export", run, "--format", "tfjs", "--out", tfjs);
  assert.equal(tfjsExport.code, 0, tfjsExport.stderr);
  assert.match(tfjsExport.stderr, /^recurrent export: warning: TF\.js's loadLayersModel will not load .*model\.json: /);
  for (const f of ["model.json", "group1-shard1of1.bin", "charlm.json"]) assert.ok(existsSync(join(tfjs, f)), f);

  for (const [name, from] of [["from-pt", pt], ["from-onnx", onnx], ["from-tfjs", tfjs]] as const) {
    const dir = join(root, name);
    const said = await ok("import", from, "--out", dir);
    assert.match(said, /GRU, 1 layer, 10 hidden, embedding 6, vocabulary of \d+/);
    assert.equal(await ok("generate", "--checkpoint", dir, ...SAMPLE), original, name);
    const a = loadCharLM(run).model.stateDict();
    const b = loadCharLM(dir).model.stateDict();
    assert.deepEqual(Object.keys(b), Object.keys(a));
    for (const k of Object.keys(a)) assert.deepEqual(b[k]!.data, a[k]!.data, `${name}: ${k}`);
  }

  // The imported run resumes as a native one: epochs 1..3 from the imported weights.
  const resumed = join(root, "from-pt");
  await ok("train", "charlm", "--resume", resumed, "--epochs", "3", "--backend", BACKEND, "--quiet");
  const metrics = readFileSync(join(resumed, "metrics.jsonl"), "utf8").trim().split("\n");
  assert.equal(metrics.length, 3);
  assert.equal(loadCharLM(resumed).checkpoint.meta.epoch, 3);
  assert.notEqual(await ok("generate", "--checkpoint", resumed, ...SAMPLE), "");
});

test("onnxruntime-node runs the exported char LM: its logits and state are the run's within 1e-5", async () => {
  const onnx = join(root, "model.onnx");
  const { model, vocab } = loadCharLM(run);
  const ids = Array.from("time traveller", (c) => vocab.indexOf(c));
  const T = ids.length;
  const [logits, state] = model.forward(Int32Array.from(ids), [1, T]); // (T·1, V)
  const session = await ort.InferenceSession.create(readFileSync(onnx));
  try {
    const out = await session.run({
      input: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), [T, 1]),
      // In a Sequential the states carry the recurrent layer's index: [Embedding, GRU, Linear].
      h0_1: new ort.Tensor("float32", new Float32Array(10), [1, 1, 10]),
    });
    for (const [name, want] of [["output", logits.data], ["hN_1", state.h.data]] as const) {
      const got = out[name]?.data;
      assert.ok(got instanceof Float32Array, name);
      assert.equal(got.length, want.length);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      assert.ok(worst <= 1e-5, `${name}: largest deviation ${worst}`);
    }
  } finally {
    await session.release();
  }
});

test("import and export refuse what they cannot do, naming the argument", async () => {
  const pt = join(root, "pt");
  const cases: [string[], number, RegExp][] = [
    [["export", run, "--format", "keras", "--out", join(root, "x")], 2, /--format must be one of pytorch, onnx, tfjs, got "keras"/],
    [["export", run, "--format", "onnx"], 2, /--out PATH is required/],
    [["export", join(root, "nowhere"), "--format", "onnx", "--out", join(root, "x.onnx")], 1, /does not exist/],
    [["import", pt], 2, /--out RUN_DIR is required/],
    [["import", pt, "--out", run], 1, /already holds files/],
    [["import", pt, "--out", join(root, "h"), "--hidden", "4"], 2, /unknown option --hidden/],
    [["import", join(root, "nowhere.onnx"), "--out", join(root, "n")], 1, /nowhere\.onnx does not exist/],
  ];
  for (const [argv, code, message] of cases) {
    const r = await cli(...argv);
    assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message, argv.join(" "));
  }
  // Without the sidecar the text must be named; with another text the vocabulary is refused.
  const bare = join(root, "bare");
  await ok("export", run, "--format", "onnx", "--out", join(bare, "m.onnx"));
  rmSync(join(bare, "m.charlm.json"));
  const noText = await cli("import", join(bare, "m.onnx"), "--out", join(root, "bare-run"));
  assert.equal(noText.code, 1);
  assert.match(noText.stderr, /which text was the model trained on\? Pass it with --text/);
  const other = join(root, "other.txt");
  writeFileSync(other, "zzz qqq\n");
  const wrong = await cli("import", join(bare, "m.onnx"), "--out", join(root, "bare-run"), "--text", other);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /the model scores \d+ tokens but the vocabulary \(from text\) has 4/);
  const text = (JSON.parse(readFileSync(join(run, "config.json"), "utf8")) as { textPath: string }).textPath;
  await ok("import", join(bare, "m.onnx"), "--out", join(root, "bare-run"), "--text", text, "--max-tokens", "400", "--epochs", "4");
  assert.equal(loadCharLM(join(root, "bare-run")).config.numEpochs, 4);
  // A file without an extension is told by its first bytes.
  copyFileSync(join(root, "model.onnx"), join(root, "lm"));
  copyFileSync(join(root, "model.charlm.json"), join(root, "lm.charlm.json"));
  const told = JSON.parse(await ok("import", join(root, "lm"), "--out", join(root, "lm-run"), "--json")) as { format: string; vocabFrom: string };
  assert.deepEqual([told.format, told.vocabFrom], ["onnx", join(root, "lm.charlm.json")]);
});
