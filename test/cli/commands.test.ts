import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "recurrent";
import { BACKEND, cli } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "recurrent-cmd-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

const TINY = ["--cell", "gru", "--hidden", "10", "--batch", "3", "--steps", "6", "--max-tokens", "400", "--checkpoint-every", "2", "--backend", BACKEND];

test("help: recurrent --help, train --help, generate --help, start --help", async () => {
  for (const [argv, heading] of [
    [["--help"], /^recurrent: recurrent neural networks/],
    [["train", "--help"], /^Usage: recurrent train charlm \[options\]/],
    [["train", "charlm", "-h"], /^Usage: recurrent train charlm/],
    [["generate", "--help"], /^Usage: recurrent generate --checkpoint RUN_DIR/],
    [["start", "--help"], /^Usage: recurrent start/],
  ] as const) {
    const r = (await cli(...argv));
    assert.equal(r.code, 0, argv.join(" "));
    assert.match(r.stdout, heading);
    assert.equal(r.stderr, "");
  }
  const bare = (await cli());
  assert.equal(bare.code, 2);
  assert.match(bare.stdout, /Usage:/);
});

test("train prints one line per epoch when not on a terminal, then where everything is", async () => {
  const out = join(root, "lines");
  const r = (await cli("train", "charlm", ...TINY, "--epochs", "3", "--out", out));
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0]!, /^training GRU, 1 layer, 10 hidden on .*timemachine\.txt \(400 characters, vocabulary of \d+\), 3 epochs, SGD lr 1, (reference|wasm) backend -> /);
  assert.equal(lines.filter((l) => /^epoch \d\/3 {2}loss/.test(l)).length, 3);
  assert.ok(lines.some((l) => l === `checkpoint ${join(out, "checkpoints", "epoch-0002.json")}`));
  assert.match(r.stdout, /done: perplexity \d+\.\d{3} after 3 epochs/);
  assert.ok(existsSync(join(out, "final.safetensors")) && existsSync(join(out, "perplexity.png")));
});

test("train --json writes only JSON lines; --quiet writes one summary line", async () => {
  const json = (await cli("train", "charlm", ...TINY, "--epochs", "2", "--out", join(root, "json"), "--json"));
  assert.equal(json.code, 0, json.stderr);
  const events = json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events.map((e) => e["event"]), ["start", "epoch", "epoch", "done"]);
  assert.equal(typeof events[1]!["perplexity"], "number");
  assert.equal(events[3]!["checkpoint"], join(root, "json", "final.json"));

  const quiet = (await cli("train", "charlm", ...TINY, "--epochs", "2", "--out", join(root, "quiet"), "--quiet"));
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stdout, /^perplexity \d+\.\d{3} {2}run .*quiet\n$/);
});

test("train --resume continues a finished run for more epochs, keeping its settings", async () => {
  const out = join(root, "resume");
  assert.equal((await cli("train", "charlm", ...TINY, "--epochs", "2", "--out", out, "--quiet")).code, 0);
  const r = (await cli("train", "charlm", "--resume", out, "--epochs", "4", "--json"));
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(events.find((e) => e["event"] === "resume"), { event: "resume", epoch: 2, checkpoint: join(out, "final.json") });
  assert.deepEqual(events.filter((e) => e["event"] === "epoch").map((e) => e["epoch"]), [3, 4]);
  const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8")) as Record<string, unknown>;
  assert.equal(config["numEpochs"], 4);
  assert.equal(config["hiddenSize"], 10);
});

test("generate: greedy output is the same every time; sampling follows --seed; --json carries the parts", async () => {
  const out = join(root, "gen");
  assert.equal((await cli("train", "charlm", ...TINY, "--epochs", "3", "--out", out, "--quiet")).code, 0);
  const greedy = (await cli("generate", "--checkpoint", out, "--prefix", "time traveller", "--length", "20", "--backend", BACKEND));
  assert.equal(greedy.code, 0, greedy.stderr);
  assert.match(greedy.stdout, /^time traveller.{20}\n$/);
  assert.equal((await cli("generate", "--checkpoint", out, "--prefix", "time traveller", "--length", "20", "--backend", BACKEND)).stdout, greedy.stdout);
  const sample = async (seed: string) => (await cli("generate", "--checkpoint", out, "--length", "30", "--temperature", "1", "--top-k", "5", "--seed", seed)).stdout;
  assert.equal(await sample("3"), await sample("3"));
  assert.ok(new Set([await sample("1"), await sample("2"), await sample("3"), await sample("4")]).size > 1);
  const json = JSON.parse((await cli("generate", "--checkpoint", join(out, "final.json"), "--prefix", "the", "--length", "5", "--json")).stdout) as Record<string, unknown>;
  assert.equal(json["prefix"], "the");
  assert.equal(json["text"], `the${String(json["continuation"])}`);
  assert.equal(json["epoch"], 3);
});

test("start trains the book's LSTM, then prints the perplexity, two generated lines and where the files are", async () => {
  const out = join(root, "start");
  const r = (await cli("start", "--epochs", "1", "--out", out, "--quiet"));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /final perplexity \d+\.\d{3} after 1 epochs/);
  assert.match(r.stdout, /\n {2}time traveller.{50}\n {2}traveller.{50}\n/);
  assert.ok(r.stdout.includes(`plot:       ${join(out, "perplexity.svg")}`));
  assert.ok(r.stdout.includes(`checkpoint: ${join(out, "final.json")}`));
  const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8")) as Record<string, unknown>;
  assert.deepEqual([config["cell"], config["hiddenSize"], config["batchSize"], config["numSteps"], config["maxTokens"], config["lr"]], ["lstm", 256, 32, 35, 10000, 1]);
});

test("an interrupted train (the signal of Ctrl-C) stops at a batch boundary, exits 130, and the run resumes to the same weights", async () => {
  const { runCli } = await import("../../src/cli/run.js");
  const dir = join(root, "interrupted");
  const controller = new AbortController();
  let stdout = "";
  let stderr = "";
  const code = await runCli(["train", "charlm", ...TINY, "--epochs", "4", "--out", dir], {
    stdout: {
      write: (s: string) => {
        stdout += s;
        // Abort once epoch 2 is reported: training stops inside epoch 3, after the epoch-2 checkpoint.
        if (s.startsWith("epoch 2/4")) controller.abort();
        return true;
      },
      isTTY: false,
    },
    stderr: { write: (s: string) => (stderr += s) },
    interruptible: () => controller.signal,
  });
  assert.equal(code, 130, stderr);
  assert.match(stderr, /^recurrent train: interrupted during epoch 3; continue with: recurrent train charlm --resume .*interrupted\n$/);
  assert.equal(existsSync(join(dir, "final.json")), false);
  assert.ok(!stdout.includes("done:"));
  assert.equal((await cli("train", "charlm", "--resume", dir, "--quiet")).code, 0);
  const whole = join(root, "uninterrupted");
  assert.equal((await cli("train", "charlm", ...TINY, "--epochs", "4", "--out", whole, "--quiet")).code, 0);
  assert.ok(readFileSync(join(dir, "final.safetensors")).equals(readFileSync(join(whole, "final.safetensors"))));
});
