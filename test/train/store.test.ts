import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore, MemoryStore, latestCheckpointRef, pruneCheckpoints, readText, type RunStore } from "recurrent/node";

async function both(fn: (store: RunStore, root: string | null) => Promise<void>): Promise<void> {
  await fn(new MemoryStore(), null);
  const root = mkdtempSync(join(tmpdir(), "recurrent-store-"));
  try {
    await fn(new FileStore(join(root, "run")), join(root, "run"));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test("file and memory stores: write, read, exists, list (files directly in a folder, sorted) and remove", async () => {
  await both(async (store) => {
    assert.deepEqual(await store.list(""), []);
    await store.write("b.txt", "bee");
    await store.write("a.bin", Uint8Array.of(1, 2, 3));
    await store.write("sub/c.json", "{}");
    assert.equal(await readText(store, "b.txt"), "bee");
    assert.deepEqual([...(await store.read("a.bin"))], [1, 2, 3]);
    assert.deepEqual(await store.list(""), ["a.bin", "b.txt"]);
    assert.deepEqual(await store.list("sub"), ["c.json"]);
    assert.equal(await store.exists("sub/c.json"), true);
    assert.equal(await store.exists("sub"), false);
    await store.remove("b.txt");
    await store.remove("never.txt");
    assert.equal(await store.exists("b.txt"), false);
    await assert.rejects(() => store.read("b.txt"), /cannot read .*b\.txt: no such file/);
    await assert.rejects(() => store.write("../escape", "x"), /name must be a relative "\/"-separated path without "\." or "\.\." parts, got "\.\.\/escape"/);
  });
});

test("pruning keeps the newest checkpoints and removes orphaned weights; latest prefers final on a tie", async () => {
  await both(async (store, root) => {
    for (const e of [10, 20, 30, 40, 50]) {
      await store.write(`checkpoints/epoch-00${e}.json`, JSON.stringify({ epoch: e }));
      await store.write(`checkpoints/epoch-00${e}.safetensors`, "weights");
    }
    await store.write("checkpoints/epoch-0060.safetensors", "weights without metadata");
    if (root !== null) writeFileSync(join(root, "checkpoints", "epoch-0070.json.tmp-123-abcdef"), "half");
    await pruneCheckpoints(store, 3);
    assert.deepEqual(await store.list("checkpoints"), ["epoch-0030.json", "epoch-0030.safetensors", "epoch-0040.json", "epoch-0040.safetensors", "epoch-0050.json", "epoch-0050.safetensors"]);
    if (root !== null && store instanceof FileStore) {
      // The store never lists an interrupted write; removeTempFiles deletes it.
      assert.equal(readdirSync(join(root, "checkpoints")).length, 7);
      store.removeTempFiles("checkpoints");
      assert.equal(readdirSync(join(root, "checkpoints")).length, 6);
    }
    assert.deepEqual(await latestCheckpointRef(store), { epoch: 50, name: "checkpoints/epoch-0050.json", kind: "periodic" });
    await store.write("final.json", JSON.stringify({ epoch: 50 }));
    assert.equal((await latestCheckpointRef(store))?.kind, "final");
    await store.write("final.json", "{not json");
    await assert.rejects(() => latestCheckpointRef(store), /final\.json: metadata is not valid JSON/);
  });
});
