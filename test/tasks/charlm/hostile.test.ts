// Checkpoints whose config was edited: sizes are bounded before anything is allocated, and a
// config that describes a model other than the stored weights is refused before the model is built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveCharLMConfig, trainCharLM, loadCharLM } from "recurrent/node";

const root = new URL("../../../", import.meta.url).pathname;
const textPath = join(root, "data", "timemachine.txt");
const text = readFileSync(textPath, "utf8");
const textSha256 = createHash("sha256").update(text).digest("hex");

test("an edited checkpoint config: absurd sizes are refused by name, and sizes that do not match the weights are refused before building", async () => {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-hostile-charlm-"));
  try {
    const run = join(dir, "run");
    const config = resolveCharLMConfig({ cell: "gru", hiddenSize: 6, batchSize: 2, numSteps: 5, maxTokens: 200, numEpochs: 1, textPath, textSha256 });
    await trainCharLM({ config, text, runDir: run });
    const metaPath = join(run, "final.json");
    const original = JSON.parse(readFileSync(metaPath, "utf8")) as { config: Record<string, unknown> };
    const edit = (changes: Record<string, unknown>): void => writeFileSync(metaPath, JSON.stringify({ ...original, config: { ...original.config, ...changes } }));
    edit({ hiddenSize: 30000 });
    assert.throws(() => loadCharLM(run), /hiddenSize must be at most 4096, got 30000/);
    edit({ numLayers: 1000000 });
    assert.throws(() => loadCharLM(run), /numLayers must be at most 16, got 1000000/);
    edit({ hiddenSize: 4000 });
    assert.throws(() => loadCharLM(run), /describes a model of \d+ parameters, but its weights hold \d+ values/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an edited vocab.json is refused by generate's loader, and an edited optimiser lr by resume", async () => {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-hostile-charlm-"));
  try {
    const run = join(dir, "run");
    const config = resolveCharLMConfig({ cell: "rnn", hiddenSize: 5, batchSize: 2, numSteps: 5, maxTokens: 200, numEpochs: 1, textPath, textSha256 });
    await trainCharLM({ config, text, runDir: run });
    loadCharLM(run);
    const vocabPath = join(run, "vocab.json");
    const vocabText = readFileSync(vocabPath, "utf8");
    const vocab = JSON.parse(vocabText) as { idxToToken: string[] };
    const t = vocab.idxToToken;
    [t[1], t[2]] = [t[2]!, t[1]!];
    writeFileSync(vocabPath, JSON.stringify(vocab));
    assert.throws(() => loadCharLM(run), /vocab\.json is not the one checkpoint .*final\.json was trained with/);
    writeFileSync(vocabPath, vocabText);
    const metaPath = join(run, "final.json");
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as { optimizer: { options: Record<string, unknown> } };
    meta.optimizer.options["lr"] = 1e300;
    writeFileSync(metaPath, JSON.stringify(meta));
    await assert.rejects(() => trainCharLM({ config: { ...config, numEpochs: 2 }, text, runDir: run, resume: true }), /its optimiser state \(SGD, lr 1e\+300\) does not match its config \(sgd, lr 1\); the file was edited/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a run killed after writing config.json but before vocab.json resumes (config.json is written first)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-hostile-charlm-"));
  try {
    const run = join(dir, "run");
    const config = resolveCharLMConfig({ cell: "gru", hiddenSize: 4, batchSize: 2, numSteps: 5, maxTokens: 200, numEpochs: 1, textPath, textSha256 });
    const whole = await trainCharLM({ config, text, runDir: join(dir, "whole") });
    // What a kill between the two writes leaves: the folder with config.json only.
    await trainCharLM({ config, text, runDir: run });
    for (const name of readdirSync(run)) if (name !== "config.json") rmSync(join(run, name), { recursive: true, force: true });
    const resumed = await trainCharLM({ config, text, runDir: run, resume: true });
    assert.deepEqual(readFileSync(join(run, "vocab.json"), "utf8"), readFileSync(join(dir, "whole", "vocab.json"), "utf8"));
    assert.deepEqual(Array.from(resumed.model.stateDict()["linear.weight"]!.data), Array.from(whole.model.stateDict()["linear.weight"]!.data));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the parameter count check covers the LSTM variants' own parameters: a checkpoint's cell edited to another LSTM is refused before building", async () => {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-hostile-charlm-"));
  try {
    for (const cell of ["peephole_lstm", "layernorm_lstm"] as const) {
      const run = join(dir, cell);
      const config = resolveCharLMConfig({ cell, hiddenSize: 5, batchSize: 2, numSteps: 5, maxTokens: 200, numEpochs: 1, textPath, textSha256 });
      await trainCharLM({ config, text, runDir: run });
      loadCharLM(run);
      const metaPath = join(run, "final.json");
      const original = JSON.parse(readFileSync(metaPath, "utf8")) as { config: Record<string, unknown> };
      const edit = (changes: Record<string, unknown>): void => writeFileSync(metaPath, JSON.stringify({ ...original, config: { ...original.config, ...changes } }));
      // Same gate rows (4H) as each other and as the plain LSTM; only the extra parameters differ.
      for (const other of ["lstm", "peephole_lstm", "layernorm_lstm"].filter((c) => c !== cell)) {
        edit({ cell: other });
        assert.throws(() => loadCharLM(run), /describes a model of \d+ parameters, but its weights hold \d+ values/, `${cell} edited to ${other}`);
      }
      edit({ hiddenSize: 4096 });
      assert.throws(() => loadCharLM(run), /describes a model of \d+ parameters, but its weights hold \d+ values/);
      edit({ cell: "peephole" });
      assert.throws(() => loadCharLM(run), /cell must be one of .*peephole_lstm.*got "peephole"/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
