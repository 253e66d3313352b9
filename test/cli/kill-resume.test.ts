// A training run killed with SIGKILL mid-way and resumed with --resume ends with the same
// weights, bit for bit, as the same run left alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BACKEND, spawnCli } from "./helpers.js";

const CONFIG = [
  "train", "charlm",
  "--cell", "lstm", "--hidden", "12", "--batch", "4", "--steps", "8", "--max-tokens", "1000",
  "--epochs", "30", "--checkpoint-every", "1", "--seed", "7", "--backend", BACKEND,
];

test("kill -9 after the first checkpoint, resume, and the final weights equal an uninterrupted run's", async () => {
  const root = mkdtempSync(join(tmpdir(), "recurrent-kill-"));
  try {
    const killedDir = join(root, "killed");
    const wholeDir = join(root, "whole");
    const whole = spawnCli([...CONFIG, "--out", wholeDir, "--quiet"]);
    const victim = spawnCli([...CONFIG, "--out", killedDir, "--quiet"]);

    const firstCheckpoint = join(killedDir, "checkpoints", "epoch-0001.json");
    const deadline = Date.now() + 60_000;
    while (!existsSync(firstCheckpoint)) {
      assert.ok(Date.now() < deadline, "no checkpoint appeared within a minute");
      await sleep(5);
    }
    victim.kill("SIGKILL");
    const killed = await victim.done;
    assert.notEqual(killed.code, 0, "the run was killed, not finished");
    assert.equal(existsSync(join(killedDir, "final.json")), false, "killed before the end");

    const resumed = await spawnCli(["train", "charlm", "--resume", killedDir, "--json"]).done;
    assert.equal(resumed.code, 0, resumed.stderr);
    const events = resumed.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const resume = events.find((e) => e["event"] === "resume");
    assert.ok(resume !== undefined && typeof resume["epoch"] === "number" && resume["epoch"] >= 1 && resume["epoch"] < 30, JSON.stringify(resume));
    assert.equal(events.filter((e) => e["event"] === "epoch").length, 30 - Number(resume["epoch"]));

    const finished = await whole.done;
    assert.equal(finished.code, 0, finished.stderr);
    const a = readFileSync(join(wholeDir, "final.safetensors"));
    const b = readFileSync(join(killedDir, "final.safetensors"));
    assert.ok(a.equals(b), "final weights differ from the uninterrupted run's");
    // The metrics log holds each epoch once, and the losses match too.
    const losses = (dir: string): number[] => readFileSync(join(dir, "metrics.jsonl"), "utf8").trimEnd().split("\n").map((l) => (JSON.parse(l) as { loss: number }).loss);
    assert.deepEqual(losses(killedDir), losses(wholeDir));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("Ctrl-C (SIGINT) stops the real binary at a batch boundary with exit code 130, leaving a resumable run", async () => {
  const root = mkdtempSync(join(tmpdir(), "recurrent-sigint-"));
  try {
    const dir = join(root, "run");
    const run = spawnCli([...CONFIG, "--out", dir, "--json"]);
    const firstCheckpoint = join(dir, "checkpoints", "epoch-0001.json");
    const deadline = Date.now() + 60_000;
    while (!existsSync(firstCheckpoint)) {
      assert.ok(Date.now() < deadline, "no checkpoint appeared within a minute");
      await sleep(5);
    }
    run.kill("SIGINT");
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /^recurrent train: interrupted during epoch \d+; continue with: recurrent train charlm --resume .*run\n$/);
    assert.equal(existsSync(join(dir, "final.json")), false);
    // Every line on stdout is whole JSON: the interruption cut nothing in half.
    for (const line of r.stdout.trimEnd().split("\n")) JSON.parse(line);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
