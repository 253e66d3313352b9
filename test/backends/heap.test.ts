// A training loop that never yields keeps a flat heap: recurrent caches are released when
// backward has run (releaseCache), not by finalisers or weak references, which a synchronous loop
// never lets go. 100,000 steps of a tiny LSTM in a child process with --expose-gc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getBackend } from "recurrent";

const here = dirname(fileURLToPath(import.meta.url));

test("100,000 training steps that never yield keep the heap after GC flat", () => {
  const backend = getBackend().name;
  const r = spawnSync(process.execPath, ["--expose-gc", "--conditions=source", "--import", "tsx", join(here, "helpers", "heap-loop.ts"), "100000"], {
    cwd: join(here, "..", ".."),
    env: { ...process.env, RECURRENT_BACKEND: backend },
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `heap-loop failed: ${r.stderr}`);
  const { heap } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { heap: number[] };
  assert.equal(heap.length, 3);
  // Before the fix the wasm backend grew by about 0.4-0.85 KB a step: 40-85 MB here.
  const growth = heap[2]! - heap[0]!;
  console.log(`# heap after GC on ${backend}: ${heap.map((h) => (h / 2 ** 20).toFixed(1)).join(" -> ")} MB at steps 10k, 50k, 100k`);
  assert.ok(growth < 2 * 2 ** 20, `heap grew ${(growth / 2 ** 20).toFixed(1)} MB from step 10,000 to 100,000`);
});
