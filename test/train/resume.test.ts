// Generic resume on the shared loop, with a task that is not the char LM: an aborted run and a
// run killed with SIGKILL, each resumed, end bit-identical to a run left alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { Linear, SGD, getBackend, manualSeed, mseLoss, tensor } from "recurrent";
import { Checkpoint, EarlyStopping, MemoryStore, fit, latestCheckpoint, parseMetricsLog, readText } from "recurrent/node";
import { regressionRun } from "./regression-task.js";

const weights = (m: { stateDict(): Record<string, { data: Float32Array }> }): number[][] => Object.values(m.stateDict()).map((p) => [...p.data]);

test("an aborted run: the model is as after its last step, the store holds whole checkpoints, and resuming ends bit-identical", async () => {
  const whole = new MemoryStore();
  const a = await regressionRun({ store: whole, epochs: 7 });
  assert.equal(a.history.aborted, false);
  assert.equal(a.history.history.length, 7);

  const store = new MemoryStore();
  const controller = new AbortController();
  let atAbort: number[][] = [];
  const b = await regressionRun({
    store,
    epochs: 7,
    signal: controller.signal,
    callbacks: [
      {
        onBatchEnd: (logs, loop) => {
          if (logs.epoch === 5 && logs.batch === 3) {
            controller.abort();
            atAbort = weights(loop.model);
          }
        },
      },
    ],
  });
  assert.equal(b.history.aborted, true);
  assert.deepEqual(b.history.history.map((r) => r.epoch), [1, 2, 3, 4]);
  assert.deepEqual(weights(b.model), atAbort, "no step after the abort");
  assert.equal(await store.exists("final.json"), false);
  assert.deepEqual(await store.list("checkpoints"), ["epoch-0003.json", "epoch-0003.safetensors", "epoch-0004.json", "epoch-0004.safetensors"]);
  assert.deepEqual(parseMetricsLog(await readText(store, "metrics.jsonl"), "m").map((r) => r.epoch), [1, 2, 3, 4]);
  const latest = await latestCheckpoint(store);
  assert.equal(latest?.meta.epoch, 4);
  assert.deepEqual(Object.keys(latest?.meta.rng ?? {}).sort(), ["global", "sampler"]);
  assert.deepEqual(Object.keys(latest?.meta.callbacks ?? {}).sort(), ["checkpoint", "early_stopping", "lr_scheduler"]);

  const c = await regressionRun({ store, epochs: 7, resume: true });
  assert.equal(c.history.initialEpoch, 4);
  assert.deepEqual(weights(c.model), weights(a.model));
  assert.deepEqual(c.history.history, a.history.history.map((r, i) => ({ ...r, seconds: c.history.history[i]!["seconds"]!, samplesPerSecond: c.history.history[i]!["samplesPerSecond"]! })));
  assert.deepEqual(await store.read("final.safetensors"), await whole.read("final.safetensors"));
});

const CHILD = fileURLToPath(new URL("./regression-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function runChild(args: string[]): { done: Promise<number>; kill: () => void } {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", CHILD, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`child failed (${code}): ${stderr}`));
      resolve(code ?? 128);
    });
  });
  return { done, kill: () => child.kill("SIGKILL") };
}

test("a run killed with SIGKILL after a checkpoint and resumed ends with the weights of an uninterrupted run, bit for bit", async () => {
  const root = mkdtempSync(join(tmpdir(), "recurrent-fit-kill-"));
  try {
    const backend = getBackend().name;
    const epochs = "60";
    const wholeDir = join(root, "whole");
    const killedDir = join(root, "killed");
    const whole = runChild([wholeDir, epochs, backend]);
    const victim = runChild([killedDir, epochs, backend]);
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(killedDir, "checkpoints", "epoch-0002.json"))) {
      assert.ok(Date.now() < deadline, "no checkpoint appeared within a minute");
      await sleep(2);
    }
    victim.kill();
    await victim.done;
    assert.equal(existsSync(join(killedDir, "final.json")), false, "killed before the end");
    assert.equal(await runChild([killedDir, epochs, backend, "resume"]).done, 0);
    assert.equal(await whole.done, 0);
    assert.ok(readFileSync(join(wholeDir, "final.safetensors")).equals(readFileSync(join(killedDir, "final.safetensors"))), "final weights differ");
    const losses = (dir: string): number[] => parseMetricsLog(readFileSync(join(dir, "metrics.jsonl"), "utf8"), dir).map((r) => r["loss"]!);
    assert.deepEqual(losses(killedDir), losses(wholeDir));
    assert.equal(losses(wholeDir).length, 60);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("early stopping's best weights travel with the checkpoint, so a resumed run restores the same ones", async () => {
  const batches = [0, 1, 2].map((k) => ({ x: tensor([[k, 1], [1, -k]]), y: tensor([[k], [2 - k]]) }));
  const script = [5, 3, 4, 3.5, 3.8, 3.9];
  const run = async (store: MemoryStore, controller?: AbortController, resume = false) => {
    manualSeed(2);
    const model = new Linear({ inFeatures: 2, outFeatures: 1 });
    const optimizer = new SGD(model.parameters(), { lr: 0.05 });
    const epochWeights: number[][] = [];
    const h = await fit(model, {
      data: batches,
      epochs: script.length,
      optimizer,
      // The reported loss follows the script; the gradient is the real MSE's, so the weights move.
      trainStep: (ctx, b) => {
        const l = mseLoss(model.forward(b.x), b.y);
        return { loss: l.sub(l.detach()).add(script[ctx.epoch - 1]!) };
      },
      store,
      resumeFrom: resume ? await latestCheckpoint(store) : null,
      ...(controller !== undefined ? { signal: controller.signal } : {}),
      callbacks: [
        { onEpochEnd: () => void epochWeights.push(weights(model).flat()) },
        // Stops the run during epoch 5, after the epoch-4 checkpoint.
        { onBatchEnd: (l) => void (l.epoch === 5 ? controller?.abort() : undefined) },
        new EarlyStopping({ monitor: "loss", patience: 100, restoreBestWeights: true }),
        new Checkpoint({ every: 1, keep: 1 }),
      ],
    });
    return { model, h, epochWeights };
  };
  const whole = await run(new MemoryStore());
  assert.deepEqual(weights(whole.model).flat(), whole.epochWeights[1], "the weights of epoch 2, the best");

  const store = new MemoryStore();
  const cut = await run(store, new AbortController());
  assert.equal(cut.h.aborted, true);
  const ckpt = await latestCheckpoint(store);
  assert.equal(ckpt?.meta.epoch, 4);
  assert.deepEqual(Object.keys(ckpt?.callbackTensors ?? {}).sort(), ["early_stopping.bias", "early_stopping.weight"]);
  const resumed = await run(store, undefined, true);
  assert.deepEqual(weights(resumed.model), weights(whole.model));
});
