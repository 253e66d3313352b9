import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Adam, Generator, Linear, manualSeed, tensor, mseLoss } from "recurrent";
import { readCheckpoint, writeCheckpoint, type CheckpointInput } from "../../src/train/checkpoint.js";
import { parseSafetensors } from "../../src/io/safetensors.js";
import type { EpochMetrics } from "../../src/tasks/charlm/metrics.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "recurrent-ckpt-"));
}

const metric = (epoch: number): EpochMetrics => ({ epoch, loss: 2 / epoch, perplexity: Math.exp(2 / epoch), tokens: 100, seconds: 0.5, tokensPerSecond: 200, gradNorm: 0.7 });

/** A small model after two Adam steps, so the optimiser has buffers and step counts. */
function stepped(): { model: Linear; optimizer: Adam; input: CheckpointInput } {
  manualSeed(11);
  const model = new Linear({ inFeatures: 3, outFeatures: 2 });
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  for (let i = 0; i < 2; i++) {
    optimizer.zeroGrad();
    mseLoss(model.forward(tensor([[1, 2, 3]])), tensor([[0.5, -1]])).backward();
    optimizer.step();
  }
  const sampler = new Generator(4);
  sampler.normal();
  const global = new Generator(5);
  global.uniform();
  return {
    model,
    optimizer,
    input: {
      epoch: 2,
      config: { hiddenSize: 3, note: "any JSON" },
      params: model.stateDict(),
      optimizer: optimizer.stateDict(),
      rng: { global: global.getState(), sampler: sampler.getState() },
      metrics: [metric(1), metric(2)],
      backend: "reference",
    },
  };
}

test("a checkpoint reads back exactly: weights, optimiser buffers and steps, RNG states, metrics, config", () => {
  const dir = tempDir();
  try {
    const { model, optimizer, input } = stepped();
    const path = writeCheckpoint(dir, "epoch-0002", input);
    assert.equal(path, join(dir, "epoch-0002.json"));
    const ckpt = readCheckpoint(path);
    assert.equal(ckpt.meta.epoch, 2);
    assert.deepEqual(ckpt.meta.config, input.config);
    assert.deepEqual(ckpt.meta.rng, input.rng);
    assert.deepEqual(ckpt.meta.metrics, input.metrics);
    assert.equal(ckpt.meta.backend, "reference");
    for (const [name, p] of model.namedParameters()) assert.deepEqual(ckpt.params[name]?.data, p.data, name);
    assert.deepEqual(ckpt.params["weight"]?.shape, [2, 3]);
    const state = optimizer.stateDict();
    assert.deepEqual(ckpt.optimizer.step, state.step);
    assert.deepEqual(ckpt.optimizer.options, state.options);
    assert.deepEqual(Object.keys(ckpt.optimizer.buffers).sort(), Object.keys(state.buffers).sort());
    for (const [k, b] of Object.entries(state.buffers)) assert.deepEqual(ckpt.optimizer.buffers[k], b, k);
    // It loads into a fresh optimiser, which then continues exactly like the original.
    const again = new Adam(model.parameters(), { lr: 0.5 });
    again.loadStateDict(ckpt.optimizer);
    assert.deepEqual(again.stateDict(), state);
    const restored = new Generator(0);
    restored.setState(ckpt.meta.rng.sampler);
    const original = new Generator(4);
    original.normal();
    assert.equal(restored.normal(), original.normal());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the weights file is plain safetensors: parameters by name and optimiser buffers under optim.", () => {
  const dir = tempDir();
  try {
    const { input } = stepped();
    writeCheckpoint(dir, "final", input);
    const parsed = parseSafetensors(new Uint8Array(readFileSync(join(dir, "final.safetensors"))));
    assert.deepEqual(Object.keys(parsed.tensors).sort(), ["bias", "optim.exp_avg.0", "optim.exp_avg.1", "optim.exp_avg_sq.0", "optim.exp_avg_sq.1", "weight"]);
    assert.equal(parsed.metadata["format"], "pt");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a truncated weights file, a corrupt one, and weights from another save are each refused with one clear line", () => {
  const dir = tempDir();
  try {
    const { input } = stepped();
    const path = writeCheckpoint(dir, "a", input);
    const weights = join(dir, "a.safetensors");
    const good = readFileSync(weights);

    truncateSync(weights, good.length - 5);
    assert.throws(() => readCheckpoint(path), (err: Error) => /metadata does not match its weights .*a\.safetensors: the file is \d+ bytes but the metadata says \d+/.test(err.message) && !err.message.includes("\n"));

    const flipped = Buffer.from(good);
    flipped[flipped.length - 1] ^= 0xff;
    writeFileSync(weights, flipped);
    assert.throws(() => readCheckpoint(path), /metadata does not match its weights .*SHA-256/);

    // Another save of the same shapes: same length, other bytes.
    writeFileSync(weights, good);
    const other = stepped().input;
    other.params = { weight: { shape: [2, 3], data: new Float32Array(6).fill(1) }, bias: { shape: [2], data: new Float32Array(2) } };
    writeCheckpoint(dir, "b", other);
    copyFileSync(join(dir, "b.safetensors"), weights);
    assert.throws(() => readCheckpoint(path), /metadata does not match its weights/);

    writeFileSync(path, readFileSync(path, "utf8").slice(0, 40));
    assert.throws(() => readCheckpoint(path), /checkpoint .*a\.json: metadata is not valid JSON \(truncated or corrupt file\)/);

    assert.throws(() => readCheckpoint(join(dir, "missing.json")), /cannot read checkpoint metadata .*missing\.json: no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("metadata fields are checked: format, version, RNG words, weights file name", () => {
  const dir = tempDir();
  try {
    const path = writeCheckpoint(dir, "c", stepped().input);
    const meta = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    const rewrite = (patch: Record<string, unknown>): void => writeFileSync(path, JSON.stringify({ ...meta, ...patch }));
    rewrite({ format: "something-else" });
    assert.throws(() => readCheckpoint(path), /format must be "recurrent-checkpoint", got "something-else"/);
    rewrite({ version: 99 });
    assert.throws(() => readCheckpoint(path), /version 99 is not supported/);
    rewrite({ rng: { global: { words: [1, 2, 3], spare: null }, sampler: { words: [1, 2, 3, 4], spare: null } } });
    assert.throws(() => readCheckpoint(path), /rng\.global\.words must be four unsigned 32-bit integers/);
    rewrite({ weights: { file: "../elsewhere.safetensors", bytes: 100, sha256: "0".repeat(64) } });
    assert.throws(() => readCheckpoint(path), /weights\.file must be a plain file name/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
