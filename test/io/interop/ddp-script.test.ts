// train_ddp.py, the PyTorch export's training script: two processes on the CPU (gloo) continue a
// char LM run for a few epochs, the loss falls, and recurrent import brings the weights back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "recurrent";
import { parseSafetensors } from "../../../src/io/safetensors.js";
import { loadCharLM } from "../../../src/tasks/charlm/run-files.js";
import { BACKEND, cli } from "../../cli/helpers.js";

const root = mkdtempSync(join(tmpdir(), "recurrent-ddp-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** A TCP port nobody listens on now, for the process group's rendezvous. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** One rank of the group, as torchrun would start it. */
function rank(script: string, r: number, port: number, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(port), WORLD_SIZE: "2", RANK: String(r), LOCAL_RANK: String(r), OMP_NUM_THREADS: "1" };
  const child = spawn("/usr/bin/python3", [script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("train_ddp.py on 2 gloo processes: the loss falls and recurrent import brings the weights back", async () => {
  const run = join(root, "run");
  const train = await cli("train", "charlm", "--cell", "lstm", "--hidden", "12", "--batch", "4", "--steps", "8", "--max-tokens", "1200", "--epochs", "1", "--optimizer", "adam", "--out", run, "--backend", BACKEND, "--quiet");
  assert.equal(train.code, 0, train.stderr);
  const pt = join(root, "pt");
  assert.equal((await cli("export", run, "--format", "pytorch", "--out", pt)).code, 0);

  const out = join(root, "ddp");
  const port = await freePort();
  const args = ["--epochs", "6", "--out", out];
  const ranks = await Promise.all([0, 1].map((r) => rank(join(pt, "train_ddp.py"), r, port, args)));
  for (const [r, res] of ranks.entries()) assert.equal(res.code, 0, `rank ${r}: ${res.stderr}`);
  assert.equal(ranks[1]!.stdout, "", "only rank 0 reports");
  const epochs = ranks[0]!.stdout.trim().split("\n").map((l) => JSON.parse(l) as { epoch: number; loss: number; processes: number });
  assert.deepEqual(epochs.map((e) => e.epoch), [1, 2, 3, 4, 5, 6]);
  assert.ok(epochs.every((e) => e.processes === 2 && Number.isFinite(e.loss)));
  assert.ok(epochs[5]!.loss < epochs[0]!.loss - 0.05, `loss ${epochs[0]!.loss} -> ${epochs[5]!.loss} did not fall`);

  const back = join(root, "back");
  const imported = await cli("import", out, "--out", back);
  assert.equal(imported.code, 0, imported.stderr);
  const written = parseSafetensors(readFileSync(join(out, "model.safetensors"))).tensors;
  const model = loadCharLM(back).model.stateDict();
  const before = loadCharLM(run).model.stateDict();
  assert.deepEqual(Object.keys(written).sort(), Object.keys(model).sort());
  for (const [name, t] of Object.entries(model)) {
    assert.deepEqual(t.data, written[name]!.data, name);
    assert.notDeepEqual(t.data, before[name]!.data, `${name} was trained`);
  }
  const gen = await cli("generate", "--checkpoint", back, "--length", "20", "--backend", BACKEND);
  assert.equal(gen.code, 0, gen.stderr);
  assert.match(gen.stdout, /^time traveller.{20}\n$/);
});
