// Checkpoints whose config was edited: sizes are bounded before anything is allocated, and a
// config that describes a model other than the stored weights is refused before the model is built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
