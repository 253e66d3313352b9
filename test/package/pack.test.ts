// The package as a user gets it: `npm pack`, installed into an empty folder from the tarball (its
// dependencies from the npm cache, or the registry when the cache lacks them), then imported with
// plain node (no tsx, no "source" condition), type-checked as a consumer would, and run through
// its `recurrent` command.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** The environment of a user's shell: nothing from this test runner (NODE_OPTIONS, npm_* of a parent npm run). */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("npm_") && k !== "NODE_OPTIONS") env[k] = v;
  return env;
}

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env: userEnv(), encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

test("npm pack -> install in an empty folder -> import, types, npx recurrent --version / train / generate", { timeout: 240_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), "recurrent-pack-"));
  try {
    const pack = run(NPM, ["pack", "--json", "--pack-destination", scratch], ROOT);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[\n"))) as { filename: string; files: { path: string }[] }[];
    assert.ok(info !== undefined);
    const shipped = new Set(info.files.map((f) => f.path));
    for (const p of ["dist/index.js", "dist/index.d.ts", "dist/node.js", "dist/node.d.ts", "dist/cli/main.js", "dist/backends/wasm/generated/kernels.js", "bin/recurrent.mjs", "data/timemachine.txt", "data/co2-concentration.csv", "data/fra-eng.txt", "data/sentiment-labelled-sentences/imdb_labelled.txt", "data/fashion-mnist-slice/README.md", "package.json"]) {
      assert.ok(shipped.has(p), `the tarball lacks ${p}`);
    }
    assert.ok(![...shipped].some((p) => p.startsWith("src/") || p.startsWith("test/")), "sources and tests are not shipped");

    const app = join(scratch, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" }));
    run(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", join(scratch, info.filename)], app);

    // Plain node: resolves the "default" condition, dist/.
    writeFileSync(
      join(app, "use.mjs"),
      [
        'import { tensor, zeros, crossEntropy } from "recurrent";',
        'import { parseSafetensors, readFileChecked, useResvgForPng, linePlotPng } from "recurrent/node";',
        "const x = tensor([[1, 2, 3]]);",
        "const loss = crossEntropy(x, [2]);",
        "console.log(JSON.stringify({ shape: zeros([2, 3]).shape, loss: loss.item(), fns: typeof parseSafetensors + typeof readFileChecked, resvg: useResvgForPng(), png: linePlotPng({ series: [{ name: 'a', x: [0, 1], y: [0, 1] }] }).length }));",
      ].join("\n"),
    );
    const used = JSON.parse(run(process.execPath, ["use.mjs"], app).stdout) as { shape: number[]; loss: number; fns: string; resvg: boolean; png: number };
    assert.deepEqual(used.shape, [2, 3]);
    assert.ok(Math.abs(used.loss - 0.4076) < 1e-3, `cross-entropy ${used.loss}`);
    assert.equal(used.fns, "functionfunction");
    // The optional renderer and font came from the npm cache too, and plots render through them.
    assert.equal(used.resvg, true);
    assert.ok(used.png > 1000);

    // A TypeScript consumer: the exports map's "types" must reach the shipped .d.ts.
    writeFileSync(join(app, "use.ts"), 'import { zeros, type Tensor } from "recurrent";\nimport { readFileChecked } from "recurrent/node";\nconst t: Tensor = zeros([2]);\nconst n: number = t.shape.length;\nvoid readFileChecked;\nvoid n;\n');
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ["use.ts"] }),
    );
    run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], app);

    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(run(NPM, ["exec", "--offline", "--", "recurrent", "--version"], app).stdout.trim(), pkg.version);
    assert.equal(run(NPM, ["exec", "--offline", "--", "recurrent", "-v"], app).stdout.trim(), pkg.version);

    const out = join(scratch, "run");
    const train = run(
      NPM,
      ["exec", "--offline", "--", "recurrent", "train", "charlm", "--epochs", "1", "--max-tokens", "300", "--hidden", "8", "--batch", "4", "--steps", "5", "--out", out, "--quiet"],
      app,
    );
    assert.match(train.stdout, /perplexity \d/);
    assert.ok(existsSync(join(out, "final.safetensors")));
    const gen = run(NPM, ["exec", "--offline", "--", "recurrent", "generate", "--checkpoint", out, "--prefix", "time", "--length", "5"], app);
    const text = gen.stdout.replace(/\r?\n$/, "");
    assert.ok(text.startsWith("time"), `generated ${JSON.stringify(gen.stdout)}`);
    assert.equal(text.length, "time".length + 5, `generated ${JSON.stringify(gen.stdout)}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
