// Writes test/fixtures/charlm/golden-weights.json: the SHA-256 of every final parameter of a few
// small fixed-seed char-LM runs, on each backend. It was run on the char LM's own training code
// (before that code moved onto the shared training loop), so the test that compares against it
// proves the move changed no bit of what `recurrent train charlm` computes.
//
//   node --conditions=source --import tsx tools/gen_charlm_golden.ts
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execSync } from "node:child_process";
import { setBackend, getBackend } from "recurrent";
import { resolveCharLMConfig, trainCharLM, type CharLMConfigInput } from "recurrent/node";

const root = new URL("..", import.meta.url).pathname;
const textPath = join(root, "data", "timemachine.txt");
const text = readFileSync(textPath, "utf8");
const textSha256 = createHash("sha256").update(text).digest("hex");

/** The runs: every cell, both samplers, both optimisers, stacked, bidirectional and embedded inputs. */
export const GOLDEN_CASES: Record<string, Partial<CharLMConfigInput>> = {
  lstm_seq_sgd: { cell: "lstm", hiddenSize: 12, batchSize: 4, numSteps: 8, maxTokens: 600, numEpochs: 3, checkpointEvery: 2 },
  gru_random_adam: { cell: "gru", hiddenSize: 10, batchSize: 3, numSteps: 7, maxTokens: 500, numEpochs: 3, sampler: "random", optimizer: "adam" },
  rnn_2layer_bi_embed: { cell: "rnn", hiddenSize: 8, numLayers: 2, bidirectional: true, embedSize: 5, batchSize: 4, numSteps: 6, maxTokens: 400, numEpochs: 2, clip: 0.5, seed: 7 },
};

async function runCase(input: Partial<CharLMConfigInput>): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-golden-"));
  try {
    const config = resolveCharLMConfig({ ...input, textPath, textSha256 });
    const { model } = await trainCharLM({ config, text, runDir: join(dir, "run") });
    const out: Record<string, string> = {};
    for (const [name, p] of Object.entries(model.stateDict())) {
      out[name] = createHash("sha256").update(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength)).digest("hex");
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const result: Record<string, Record<string, Record<string, string>>> = {};
  for (const backend of ["reference", "wasm"]) {
    setBackend(backend);
    result[backend] = {};
    for (const [name, input] of Object.entries(GOLDEN_CASES)) result[backend]![name] = await runCase(input);
    console.log(`${getBackend().name}: ${Object.keys(GOLDEN_CASES).length} runs`);
  }
  const commit = execSync("git rev-parse HEAD", { cwd: root }).toString().trim();
  const fixture = { generator: "tools/gen_charlm_golden.ts", commit, cases: GOLDEN_CASES, sha256: result };
  writeFileSync(join(root, "test", "fixtures", "charlm", "golden-weights.json"), JSON.stringify(fixture, null, 1) + "\n");
}

await main();
