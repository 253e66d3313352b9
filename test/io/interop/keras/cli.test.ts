// recurrent import of Keras files: a char LM Keras saved (tools/gen_keras_files.py, charlm_gru)
// becomes a run folder whose model gives Keras's logits within 1e-5, that generate samples from
// and train --resume trains on, as an imported TF.js run; the .h5 file by its first bytes too;
// and a model a char LM run cannot hold is refused, naming the file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import "recurrent";
import { loadCharLM } from "../../../../src/tasks/charlm/run-files.js";
import { BACKEND, cli } from "../../../cli/helpers.js";

const fixtures = fileURLToPath(new URL("../../../fixtures/keras-files/", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "recurrent-keras-cli-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

interface Fixture {
  input_shape: [number, number];
  input: number[];
  outputs: { shape: [number, number, number]; data: number[] }[];
  text: string;
}

const fixture = JSON.parse(readFileSync(join(fixtures, "charlm_gru.json"), "utf8")) as Fixture;
const textPath = join(root, "text.txt");
writeFileSync(textPath, fixture.text);

async function ok(...argv: string[]): Promise<string> {
  const r = await cli(...argv);
  assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

test("a Keras char LM imports into a run that gives Keras's logits, generates and trains on", async () => {
  const dir = join(root, "from-keras");
  const said = await ok("import", join(fixtures, "charlm_gru.keras"), "--out", dir, "--text", textPath, "--batch", "2", "--max-tokens", "200");
  assert.match(said, /imported keras model .*charlm_gru\.keras: GRU, 1 layer, 6 hidden, embedding 4, vocabulary of 11/);

  const { model } = loadCharLM(dir);
  const [B, T] = fixture.input_shape;
  const V = fixture.outputs[0]!.shape[2];
  for (let b = 0; b < B; b++) {
    const ids = Int32Array.from(fixture.input.slice(b * T, (b + 1) * T));
    const [logits] = model.forward(ids, [1, T]);
    const got = logits.toArray();
    const want = fixture.outputs[0]!.data.slice(b * T * V, (b + 1) * T * V);
    let worst = 0;
    for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(got[k]! - want[k]!));
    assert.ok(worst <= 1e-5, `row ${b}: largest deviation ${worst}`);
  }

  const sample = await ok("generate", "--checkpoint", dir, "--temperature", "1", "--seed", "7", "--length", "30", "--backend", BACKEND);
  assert.ok(sample.length >= 30);
  await ok("train", "charlm", "--resume", dir, "--epochs", "1", "--backend", BACKEND, "--quiet");
  assert.equal(loadCharLM(dir).checkpoint.meta.epoch, 1);

  // The .h5 file under a name without its extension: found by its first bytes.
  const bare = join(root, "charlm-model");
  copyFileSync(join(fixtures, "charlm_gru.h5"), bare);
  const fromH5 = join(root, "from-h5");
  assert.match(await ok("import", bare, "--out", fromH5, "--text", textPath), /imported keras model/);
  const fromKeras = loadCharLM(dir).model.stateDict();
  const h5 = loadCharLM(fromH5).model.stateDict();
  assert.deepEqual(Object.keys(h5), Object.keys(fromKeras));
});

test("import refuses a Keras model a char LM run cannot hold, naming the file", async () => {
  const r = await cli("import", join(fixtures, "functional_lstm_state.keras"), "--out", join(root, "state-run"), "--text", textPath);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /functional_lstm_state\.keras: the model returns its last layer's states/);
  const wrong = await cli("import", join(fixtures, "charlm_gru.keras"), "--format", "onnx", "--out", join(root, "x"), "--text", textPath);
  assert.notEqual(wrong.code, 0);
  const unknown = await cli("import", join(fixtures, "charlm_gru.keras"), "--format", "h5", "--out", join(root, "y"));
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--format must be one of pytorch, onnx, tfjs, keras, got "h5"/);
});
