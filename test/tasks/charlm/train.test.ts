import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import "recurrent";
import { resolveCharLMConfig, type CharLMConfig, type CharLMConfigInput } from "../../../src/tasks/charlm/config.js";
import { trainCharLM } from "../../../src/tasks/charlm/train.js";
import { loadCharLM } from "../../../src/tasks/charlm/run-files.js";
import { predict } from "../../../src/tasks/charlm/generate.js";
import { readMetricsLog } from "../../../src/train/metrics-log.js";

const TEXT_PATH = new URL("../../../data/timemachine.txt", import.meta.url).pathname;
const TEXT = readFileSync(TEXT_PATH, "utf8");
const SHA = createHash("sha256").update(TEXT).digest("hex");

function tiny(overrides: Partial<CharLMConfigInput> = {}): CharLMConfig {
  return resolveCharLMConfig({
    cell: "gru",
    hiddenSize: 10,
    batchSize: 4,
    numSteps: 8,
    maxTokens: 600,
    numEpochs: 6,
    checkpointEvery: 2,
    textPath: TEXT_PATH,
    textSha256: SHA,
    ...overrides,
  });
}

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-charlm-"));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const weights = (runDir: string): Buffer => readFileSync(join(runDir, "final.safetensors"));
/** "name:sha256" of every file under `dir`, to show that a failed call changed nothing. */
const hashAll = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => `${f}:${createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")}`);

test("trainCharLM writes the run folder: config, vocabulary, metrics, plots, the last 3 periodic checkpoints and the final one", async () => {
  await withTemp(async (root) => {
    const runDir = join(root, "run");
    const r = await trainCharLM({ config: tiny({ numEpochs: 9, checkpointEvery: 1 }), text: TEXT, runDir });
    assert.deepEqual(readdirSync(runDir).sort(), ["checkpoints", "config.json", "final.json", "final.safetensors", "metrics.jsonl", "perplexity.png", "perplexity.svg", "vocab.json"]);
    assert.deepEqual(readdirSync(join(runDir, "checkpoints")).sort(), [
      "epoch-0006.json",
      "epoch-0006.safetensors",
      "epoch-0007.json",
      "epoch-0007.safetensors",
      "epoch-0008.json",
      "epoch-0008.safetensors",
    ]);
    const logged = readMetricsLog(join(runDir, "metrics.jsonl"));
    assert.deepEqual(logged.map((m) => m.epoch), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(logged, r.metrics);
    assert.ok(r.metrics[8]!.perplexity < r.metrics[0]!.perplexity);
    const loaded = loadCharLM(runDir);
    assert.equal(loaded.checkpoint.meta.epoch, 9);
    assert.equal(loaded.unfinished, false);
    assert.equal(predict(loaded.model, loaded.vocab, "time", { numPreds: 20 }).text, predict(r.model, r.vocab, "time", { numPreds: 20 }).text);
  });
});

for (const variant of [
  { name: "SGD, sequential sampler", overrides: {} },
  { name: "Adam, random sampler, LSTM with embedding", overrides: { optimizer: "adam", sampler: "random", cell: "lstm", embedSize: 4 } as const },
]) {
  test(`resuming from a periodic checkpoint ends bit-identical to an uninterrupted run (${variant.name})`, async () => {
    await withTemp(async (root) => {
      const full = join(root, "full");
      const a = await trainCharLM({ config: tiny(variant.overrides), text: TEXT, runDir: full });
      // The state of a run that died during epoch 5: its checkpoints up to epoch 4, no final.
      const cut = join(root, "cut");
      cpSync(full, cut, { recursive: true });
      for (const f of ["final.json", "final.safetensors"]) unlinkSync(join(cut, f));
      const b = await trainCharLM({ config: tiny(variant.overrides), text: TEXT, runDir: cut, resume: true });
      assert.equal(b.startEpoch, 4);
      assert.ok(weights(full).equals(weights(cut)), "final weights differ");
      assert.deepEqual(b.metrics.map((m) => m.perplexity), a.metrics.map((m) => m.perplexity));
      assert.deepEqual(readMetricsLog(join(cut, "metrics.jsonl")).map((m) => m.loss), a.metrics.map((m) => m.loss));
    });
  });
}

test("a finished run extended with more epochs equals a run trained that long from the start", async () => {
  await withTemp(async (root) => {
    await trainCharLM({ config: tiny({ numEpochs: 7 }), text: TEXT, runDir: join(root, "long") });
    await trainCharLM({ config: tiny({ numEpochs: 3 }), text: TEXT, runDir: join(root, "short") });
    const extended = await trainCharLM({ config: tiny({ numEpochs: 7 }), text: TEXT, runDir: join(root, "short"), resume: true });
    assert.equal(extended.startEpoch, 3);
    assert.ok(weights(join(root, "long")).equals(weights(join(root, "short"))));
  });
});

test("resuming a folder that has no checkpoint yet starts it from the beginning", async () => {
  await withTemp(async (root) => {
    await trainCharLM({ config: tiny({ numEpochs: 3 }), text: TEXT, runDir: join(root, "ref") });
    const early = join(root, "early");
    cpSync(join(root, "ref"), early, { recursive: true });
    rmSync(join(early, "checkpoints"), { recursive: true });
    for (const f of ["final.json", "final.safetensors", "metrics.jsonl"]) unlinkSync(join(early, f));
    const r = await trainCharLM({ config: tiny({ numEpochs: 3 }), text: TEXT, runDir: early, resume: true });
    assert.equal(r.startEpoch, 0);
    assert.ok(weights(join(root, "ref")).equals(weights(early)));
  });
});

test("a new run never writes into a folder that holds files, and leaves it as it was", async () => {
  await withTemp(async (root) => {
    const runDir = join(root, "run");
    await trainCharLM({ config: tiny({ numEpochs: 2 }), text: TEXT, runDir });
    const before = hashAll(runDir);
    await assert.rejects(() => trainCharLM({ config: tiny({ numEpochs: 2, seed: 5 }), text: TEXT, runDir }), /already holds files/);
    assert.deepEqual(hashAll(runDir), before);
  });
});

test("resume refuses a changed text, a different model config, and an epoch count below the checkpoint's", async () => {
  await withTemp(async (root) => {
    const runDir = join(root, "run");
    await trainCharLM({ config: tiny({ numEpochs: 4 }), text: TEXT, runDir });
    const before = hashAll(runDir);
    await assert.rejects(() => trainCharLM({ config: tiny(), text: TEXT.replace("Time", "Tame"), runDir, resume: true }),
      /the text .* has changed since the run started/,
    );
    await assert.rejects(() => trainCharLM({ config: tiny({ hiddenSize: 12 }), text: TEXT, runDir, resume: true }), /was written with another config \(hiddenSize 10 vs 12\)/);
    await assert.rejects(() => trainCharLM({ config: tiny({ numEpochs: 3 }), text: TEXT, runDir, resume: true }), /already at epoch 4, past the 3 epochs/);
    assert.deepEqual(hashAll(runDir), before);
  });
});

test("a corrupt latest checkpoint stops a resume with an error naming it", async () => {
  await withTemp(async (root) => {
    const runDir = join(root, "run");
    await trainCharLM({ config: tiny({ numEpochs: 4 }), text: TEXT, runDir });
    writeFileSync(join(runDir, "final.safetensors"), readFileSync(join(runDir, "final.safetensors")).subarray(0, 100));
    await assert.rejects(() => trainCharLM({ config: tiny({ numEpochs: 6 }), text: TEXT, runDir, resume: true }), /final\.json: metadata does not match its weights/);
    assert.throws(() => loadCharLM(runDir), /final\.json: metadata does not match its weights/);
  });
});

test("loadCharLM takes a run folder or a checkpoint file and reports an unfinished run", async () => {
  await withTemp(async (root) => {
    const runDir = join(root, "run");
    await trainCharLM({ config: tiny({ numEpochs: 4 }), text: TEXT, runDir });
    const periodic = loadCharLM(join(runDir, "checkpoints", "epoch-0002.json"));
    assert.equal(periodic.checkpoint.meta.epoch, 2);
    assert.equal(periodic.unfinished, true);
    for (const f of ["final.json", "final.safetensors"]) unlinkSync(join(runDir, f));
    const latest = loadCharLM(runDir);
    assert.equal(latest.checkpoint.meta.epoch, 2);
    assert.equal(latest.unfinished, true);
    assert.throws(() => loadCharLM(join(root, "nowhere")), /checkpoint .*nowhere does not exist/);
  });
});
