// The README's two training examples (Keras style and PyTorch style), run exactly as written:
// each block marked `<!-- example: NAME -->` is copied to a scratch file inside the repository
// (so `import ... from "recurrent"` and `data/timemachine.txt` resolve) and run as a script.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const readme = readFileSync(join(root, "README.md"), "utf8");

function example(name: string): string {
  const m = new RegExp(`<!-- example: ${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  assert.ok(m !== null, `README.md has no example named ${name}`);
  return m[1]!;
}

function run(name: string): string {
  const dir = join(root, ".tmp", `readme-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.ts`);
  try {
    writeFileSync(file, example(name));
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", file], { cwd: root, encoding: "utf8", env: process.env });
    assert.equal(r.status, 0, `${name} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("README Keras-style example: Sequential + compile + fit trains and the loss falls", () => {
  const out = run("keras-style");
  const m = /loss (\d+\.\d+) -> (\d+\.\d+)/.exec(out);
  assert.ok(m !== null, `unexpected output: ${out}`);
  assert.ok(Number(m[2]) < Number(m[1]) - 0.5, `loss went from ${m[1]} to ${m[2]}`);
});

test("README PyTorch-style example: own Module + loop trains and the loss falls", () => {
  const out = run("pytorch-style");
  const losses = [...out.matchAll(/epoch (\d+) {2}loss (\d+\.\d+)/g)].map((m) => Number(m[2]));
  assert.equal(losses.length, 8, `unexpected output: ${out}`);
  assert.ok(losses[7]! < losses[0]! - 0.4, `loss went from ${losses[0]} to ${losses[7]}`);
});

test("README Keras-layers example: a masked bidirectional sentiment classifier learns its sentences", () => {
  const out = run("keras-sentiment");
  const m = /loss (\d+\.\d+) -> (\d+\.\d+), (\d+)\/(\d+) correct/.exec(out);
  assert.ok(m !== null, `unexpected output: ${out}`);
  assert.ok(Number(m[2]) < Number(m[1]) / 2, `loss went from ${m[1]} to ${m[2]}`);
  assert.equal(m[3], m[4], "every training sentence is classified correctly");
});
