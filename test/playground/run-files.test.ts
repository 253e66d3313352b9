// Files chosen or dropped from a CLI run folder map to the run store's names; other files are skipped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readRunFiles, runFileName } from "../../apps/playground/src/lm/run-files.js";

test("runFileName keeps a run's own files under their names inside the folder", () => {
  assert.equal(runFileName("runs/x/config.json"), "config.json");
  assert.equal(runFileName("x/vocab.json"), "vocab.json");
  assert.equal(runFileName("runs/x/checkpoints/epoch-0010.safetensors"), "checkpoints/epoch-0010.safetensors");
  assert.equal(runFileName("epoch-0002.json"), "checkpoints/epoch-0002.json", "a loose periodic checkpoint goes to checkpoints/");
  assert.equal(runFileName("final.safetensors"), "final.safetensors");
  assert.equal(runFileName("x/metrics.jsonl"), "metrics.jsonl");
  for (const other of ["x/perplexity.svg", "x/perplexity.png", "notes.txt", "x/.config.json.tmp-123", "x/checkpoints/final.json.bak"]) assert.equal(runFileName(other), null, other);
});

test("readRunFiles reads the run's files and skips the rest", async () => {
  const files = [
    { file: new File(['{"a":1}'], "config.json"), path: "run/config.json" },
    { file: new File(["<svg/>"], "perplexity.svg"), path: "run/perplexity.svg" },
    { file: new File([new Uint8Array([1, 2, 3])], "epoch-0001.safetensors"), path: "run/checkpoints/epoch-0001.safetensors" },
  ];
  const out = await readRunFiles(files);
  assert.deepEqual(out.map((f) => f.name), ["config.json", "checkpoints/epoch-0001.safetensors"]);
  assert.deepEqual(Array.from(out[1]!.bytes), [1, 2, 3]);
});
