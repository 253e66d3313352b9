// The char LM's final weights, bit for bit, against hashes taken from its own training code
// before that code moved onto the shared training loop (tools/gen_charlm_golden.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getBackend } from "recurrent";
import { resolveCharLMConfig, trainCharLM, type CharLMConfigInput } from "recurrent/node";

interface Golden {
  commit: string;
  cases: Record<string, Partial<CharLMConfigInput>>;
  sha256: Record<string, Record<string, Record<string, string>>>;
}

const root = new URL("../../../", import.meta.url).pathname;
const golden = JSON.parse(readFileSync(join(root, "test/fixtures/charlm/golden-weights.json"), "utf8")) as Golden;
const textPath = join(root, "data", "timemachine.txt");
const text = readFileSync(textPath, "utf8");
const textSha256 = createHash("sha256").update(text).digest("hex");

for (const [name, input] of Object.entries(golden.cases)) {
  test(`char LM ${name}: final weights equal, bit for bit, those of commit ${golden.commit.slice(0, 7)}`, async () => {
    const backend = getBackend().name;
    const want = golden.sha256[backend]?.[name];
    assert.ok(want !== undefined, `no golden hashes for the ${backend} backend`);
    const dir = mkdtempSync(join(tmpdir(), "recurrent-golden-"));
    try {
      const config = resolveCharLMConfig({ ...input, textPath, textSha256 });
      const { model } = await trainCharLM({ config, text, runDir: join(dir, "run") });
      const got: Record<string, string> = {};
      for (const [k, p] of Object.entries(model.stateDict())) {
        got[k] = createHash("sha256").update(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength)).digest("hex");
      }
      assert.deepEqual(got, want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
