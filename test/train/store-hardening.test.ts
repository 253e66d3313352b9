// Run folders under hostile conditions: links that leave the folder, two processes on one run,
// weights that diverged or were altered, and checkpoint files renamed to look newer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import {
  FileStore,
  Linear,
  SGD,
  globalGenerator,
  latestCheckpointRef,
  pruneCheckpoints,
  readCheckpointFrom,
  writeCheckpointTo,
  manualSeed,
  type CheckpointInput,
} from "recurrent/node";

function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-hostile-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

function snapshot(epoch: number, poison?: number): CheckpointInput {
  manualSeed(1);
  const model = new Linear({ inFeatures: 3, outFeatures: 2 });
  if (poison !== undefined) model.weight.data[4] = poison;
  return {
    epoch,
    config: {},
    params: model.stateDict(),
    optimizer: new SGD(model.parameters(), { lr: 0.1 }).stateDict(),
    rng: { global: globalGenerator.getState() },
    metrics: [],
    backend: "reference",
  };
}

test("a checkpoints folder linked outside the run: pruning refuses, and the files outside stay", () =>
  withTemp(async (dir) => {
    const outside = join(dir, "elsewhere");
    mkdirSync(outside);
    for (const e of ["0001", "0002", "0003"]) writeFileSync(join(outside, `epoch-${e}.json`), JSON.stringify({ epoch: Number(e) }));
    mkdirSync(join(dir, "run"));
    symlinkSync(outside, join(dir, "run", "checkpoints"));
    const store = new FileStore(join(dir, "run"));
    await assert.rejects(() => pruneCheckpoints(store, 1), /FileStore\.remove: .*checkpoints leads outside the run folder/);
    for (const e of ["0001", "0002", "0003"]) assert.ok(existsSync(join(outside, `epoch-${e}.json`)));
    await assert.rejects(() => store.write("checkpoints/epoch-0009.json", "{}"), /FileStore\.write: .*leads outside the run folder/);
  }));

test("a run file that is a link to a file outside the run is not read", () =>
  withTemp(async (dir) => {
    writeFileSync(join(dir, "secret.json"), "{}");
    mkdirSync(join(dir, "run"));
    symlinkSync(join(dir, "secret.json"), join(dir, "run", "final.json"));
    await assert.rejects(() => new FileStore(join(dir, "run")).read("final.json"), /FileStore\.read: .*final\.json leads outside the run folder/);
  }));

test("two processes on one run folder: the second is refused; a lock left by a dead process is taken over", () =>
  withTemp(async (dir) => {
    const store = new FileStore(join(dir, "run"));
    const release = await store.lock();
    await assert.rejects(() => new FileStore(join(dir, "run")).lock(), new RegExp(`in use by process ${process.pid} on `));
    await release();
    assert.equal(existsSync(join(dir, "run", ".lock")), false);
    // A process that has exited leaves its lock behind (as after SIGKILL).
    const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(child.stdout);
    writeFileSync(join(dir, "run", ".lock"), JSON.stringify({ pid: deadPid, host: hostname(), since: "earlier" }));
    const again = await store.lock();
    await again();
  }));

for (const [what, value] of [["NaN", NaN], ["Infinity", Infinity], ["3e38", 3e38]] as const) {
  test(`a checkpoint whose weights hold ${what} is refused with the tensor named`, () =>
    withTemp(async (dir) => {
      const store = new FileStore(join(dir, "run"));
      await writeCheckpointTo(store, "final", snapshot(1, value));
      await assert.rejects(() => readCheckpointFrom(store, "final.json"), /tensor "weight" holds .* at flat index 4; stored values must be finite and at most 1e\+30/);
    }));
}

test("the newest checkpoint is the one whose recorded epoch is newest: a renamed file is refused", () =>
  withTemp(async (dir) => {
    const store = new FileStore(join(dir, "run"));
    await writeCheckpointTo(store, "checkpoints/epoch-0002", snapshot(2));
    assert.equal((await latestCheckpointRef(store))?.epoch, 2);
    renameSync(join(dir, "run", "checkpoints", "epoch-0002.json"), join(dir, "run", "checkpoints", "epoch-0009.json"));
    await assert.rejects(() => latestCheckpointRef(store), /epoch-0009\.json records epoch 2 but its name says epoch 9/);
  }));
