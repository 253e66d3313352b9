import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunDir } from "../../../src/tasks/charlm/run-dir.js";

function withTemp(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-run-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a stand-in checkpoint pair (only file names and final's epoch matter here). */
function fakeCheckpoint(dir: string, stem: string, epoch: number): void {
  writeFileSync(join(dir, `${stem}.json`), JSON.stringify({ epoch }));
  writeFileSync(join(dir, `${stem}.safetensors`), "weights");
}

test("RunDir.create accepts a new or empty folder and refuses one that holds files", () => {
  withTemp((root) => {
    const fresh = RunDir.create(join(root, "a", "b"));
    assert.ok(existsSync(fresh.checkpointsDir));
    mkdirSync(join(root, "empty"));
    RunDir.create(join(root, "empty"));
    writeFileSync(join(root, "busy-file"), "x");
    assert.throws(() => RunDir.create(join(root, "busy-file")), /is a file, not a folder/);
    mkdirSync(join(root, "busy"));
    writeFileSync(join(root, "busy", "final.json"), "{}");
    assert.throws(() => RunDir.create(join(root, "busy")), /run folder .*busy already holds files/);
  });
});

test("RunDir.open needs an existing folder with a config.json", () => {
  withTemp((root) => {
    assert.throws(() => RunDir.open(join(root, "nope")), /run folder .*nope does not exist/);
    assert.throws(() => RunDir.open(root), /is not a run folder: it has no config\.json/);
    writeFileSync(join(root, "config.json"), "{}");
    assert.equal(RunDir.open(root).path, root);
  });
});

test("latest() picks the highest epoch among periodic checkpoints and final.json; final wins a tie", () => {
  withTemp((root) => {
    const dir = RunDir.create(root);
    assert.equal(dir.latest(), null);
    for (const e of [3, 12, 9]) fakeCheckpoint(dir.checkpointsDir, RunDir.periodicStem(e), e);
    assert.deepEqual(dir.latest(), { epoch: 12, path: join(dir.checkpointsDir, "epoch-0012.json"), kind: "periodic" });
    fakeCheckpoint(root, "final", 10);
    assert.equal(dir.latest()?.epoch, 12);
    fakeCheckpoint(root, "final", 12);
    assert.equal(dir.latest()?.kind, "final");
    writeFileSync(dir.finalPath, "{not json");
    assert.throws(() => dir.latest(), /final\.json: metadata is not valid JSON/);
  });
});

test("removeTempFiles clears what interrupted atomic writes left, and nothing else", () => {
  withTemp((root) => {
    const dir = RunDir.create(root);
    writeFileSync(join(root, "metrics.jsonl"), "");
    writeFileSync(join(root, "metrics.jsonl.tmp-42-0a1b2c"), "half");
    writeFileSync(join(dir.checkpointsDir, "epoch-0003.safetensors.tmp-42-ffee00"), "half");
    dir.removeTempFiles();
    assert.deepEqual(readdirSync(root).sort(), ["checkpoints", "metrics.jsonl"]);
    assert.deepEqual(readdirSync(dir.checkpointsDir), []);
  });
});

test("periodicStem pads to four digits and grows past them", () => {
  assert.equal(RunDir.periodicStem(7), "epoch-0007");
  assert.equal(RunDir.periodicStem(12345), "epoch-12345");
});
