// The char LM with the LSTM variants (peephole_lstm, layernorm_lstm): a tiny run trains (its
// loss falls), the saved run generates what the trained model generates, and a run resumed from
// a periodic checkpoint ends bit-identical to an uninterrupted one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import "recurrent";
import { Generator } from "../../../src/tensor/random.js";
import { resolveCharLMConfig, type CellKind, type CharLMConfig } from "../../../src/tasks/charlm/config.js";
import { trainCharLM } from "../../../src/tasks/charlm/train.js";
import { loadCharLM } from "../../../src/tasks/charlm/run-files.js";
import { predict } from "../../../src/tasks/charlm/generate.js";

const TEXT_PATH = new URL("../../../data/timemachine.txt", import.meta.url).pathname;
const TEXT = readFileSync(TEXT_PATH, "utf8");
const SHA = createHash("sha256").update(TEXT).digest("hex");

function tiny(cell: CellKind, numEpochs: number): CharLMConfig {
  return resolveCharLMConfig({ cell, hiddenSize: 12, batchSize: 4, numSteps: 8, maxTokens: 600, numEpochs, checkpointEvery: 2, optimizer: "adam", textPath: TEXT_PATH, textSha256: SHA });
}

const root = mkdtempSync(join(tmpdir(), "recurrent-charlm-cells-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

for (const cell of ["peephole_lstm", "layernorm_lstm"] as const) {
  test(`${cell}: a tiny run's loss falls, its run folder generates what the trained model generates, and the cell's own parameters are saved`, async () => {
    const runDir = join(root, `${cell}-trained`);
    const r = await trainCharLM({ config: tiny(cell, 6), text: TEXT, runDir });
    const first = r.metrics[0]!.loss;
    const last = r.metrics[r.metrics.length - 1]!.loss;
    assert.ok(last < first - 0.1, `${cell}: loss ${first} -> ${last}`);
    const loaded = loadCharLM(runDir);
    assert.equal(loaded.model.cell, cell);
    assert.equal(loaded.model.rnn.cell, cell);
    const own = cell === "peephole_lstm" ? ["rnn.weight_ci_l0", "rnn.weight_cf_l0", "rnn.weight_co_l0"] : ["rnn.layernorm_i_weight_l0", "rnn.layernorm_h_bias_l0", "rnn.layernorm_c_weight_l0"];
    const saved = loaded.model.stateDict();
    for (const name of own) assert.deepEqual(saved[name]!.data, r.model.stateDict()[name]!.data, name);
    const sample = (m: typeof r.model): string => predict(m, loaded.vocab, "the time", { numPreds: 30, temperature: 1, generator: new Generator(7) }).text;
    const text = sample(loaded.model);
    assert.equal(text, sample(r.model));
    assert.equal(Array.from(text).length, "the time".length + 30);
  });

  test(`${cell}: resuming from a periodic checkpoint ends bit-identical to an uninterrupted run`, async () => {
    const full = join(root, `${cell}-full`);
    const a = await trainCharLM({ config: tiny(cell, 4), text: TEXT, runDir: full });
    const cut = join(root, `${cell}-cut`);
    cpSync(full, cut, { recursive: true });
    for (const f of ["final.json", "final.safetensors"]) unlinkSync(join(cut, f));
    const b = await trainCharLM({ config: tiny(cell, 4), text: TEXT, runDir: cut, resume: true });
    assert.equal(b.startEpoch, 2);
    assert.ok(readFileSync(join(full, "final.safetensors")).equals(readFileSync(join(cut, "final.safetensors"))), "final weights differ");
    assert.deepEqual(b.metrics.map((m) => m.loss), a.metrics.map((m) => m.loss));
  });
}
