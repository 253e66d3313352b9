import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "recurrent";
import { BACKEND, cli, spawnCli, type CliResult } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "recurrent-cli-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

const TINY = ["--hidden", "8", "--batch", "2", "--steps", "5", "--max-tokens", "300", "--epochs", "3", "--checkpoint-every", "1", "--backend", BACKEND, "--quiet"];

/** A finished tiny run to break in various ways; each test copies what it damages. */
const runDir = join(root, "run");
const made = (await cli("train", "charlm", ...TINY, "--out", runDir));
assert.equal(made.code, 0, made.stderr);

function hashAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => `${f}:${createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")}`);
}

/** A failed command: non-zero exit, exactly one line on stderr that starts with the command's name, no stack frames, nothing on stdout. */
function assertOneLineError(r: CliResult, command: string, pattern: RegExp, code?: number): void {
  assert.notEqual(r.code, 0, `exit code of ${pattern}`);
  if (code !== undefined) assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.ok(lines[0]!.startsWith(`recurrent${command === "" ? "" : ` ${command}`}: `), lines[0]);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack frames");
  assert.equal(r.stdout, "", "nothing on stdout");
}

test("train: bad sizes and numbers name the flag and the value", async () => {
  const cases: [string[], RegExp][] = [
    [["--hidden", "0"], /^recurrent train: --hidden must be a positive integer, got "0"$/],
    [["--hidden=-3"], /--hidden must be a positive integer, got "-3"/],
    [["--hidden", "-3"], /--hidden needs a value; for a value starting with "-" write --hidden=VALUE/],
    [["--layers", "1.5"], /--layers must be a positive integer, got "1.5"/],
    [["--batch", "abc"], /--batch must be a positive integer, got "abc"/],
    [["--steps", ""], /--steps must be a positive integer, got ""/],
    [["--epochs", "0"], /--epochs must be a positive integer, got "0"/],
    [["--lr", "0"], /--lr must be a positive number, got "0"/],
    [["--lr", "NaN"], /--lr must be a positive number, got "NaN"/],
    [["--clip=-1"], /--clip must be a positive number, got "-1"/],
    [["--embed=-1"], /--embed must be a non-negative integer, got "-1"/],
    [["--seed", "4294967296"], /--seed must be at most 4294967295, got "4294967296"/],
    [["--checkpoint-every", "0"], /--checkpoint-every must be a positive integer, got "0"/],
    [["--max-tokens", "x"], /--max-tokens must be a non-negative integer, got "x"/],
  ];
  for (const [flags, pattern] of cases) assertOneLineError((await cli("train", "charlm", ...flags)), "train", pattern, 2);
});

test("train: unknown cells, samplers, optimisers, backends, flags and tasks", async () => {
  assertOneLineError((await cli("train", "charlm", "--cell", "transformer")), "train", /--cell must be one of rnn, gru, lstm, peephole_lstm, layernorm_lstm, got "transformer"/, 2);
  assertOneLineError((await cli("train", "charlm", "--sampler", "shuffled")), "train", /--sampler must be one of sequential, random, got "shuffled"/, 2);
  assertOneLineError((await cli("train", "charlm", "--optimizer", "rmsprop")), "train", /--optimizer must be one of sgd, adam, got "rmsprop"/, 2);
  assertOneLineError((await cli("train", "charlm", "--backend", "gpu")), "train", /--backend must be one of reference, wasm, got "gpu"/, 2);
  assertOneLineError((await cli("train", "charlm", "--hiden", "3")), "train", /unknown option --hiden \(did you mean --hidden\?\) \(see recurrent train --help\)/, 2);
  assertOneLineError((await cli("train", "charlm", "--json=yes")), "train", /--json takes no value/, 2);
  assertOneLineError((await cli("train", "charlm", "--hidden")), "train", /--hidden needs a value/, 2);
  assertOneLineError((await cli("train")), "train", /which task\? the tasks are: recurrent train charlm, recurrent train forecast/, 2);
  assertOneLineError((await cli("train", "wordlm")), "train", /unknown task "wordlm"; the tasks are: charlm, forecast/, 2);
  assertOneLineError((await cli("train", "charlm", "extra")), "train", /unexpected argument "extra"/, 2);
  assertOneLineError((await cli("fly")), "", /unknown command "fly"; the commands are train, evaluate, predict, generate, start, inspect, export and import/, 2);
  assertOneLineError((await cli("--verbose")), "", /unknown option --verbose/, 2);
});

test("train: unreadable, empty, letterless and too short texts", async () => {
  const empty = join(root, "empty.txt");
  writeFileSync(empty, "\n  \n");
  const digits = join(root, "digits.txt");
  writeFileSync(digits, "1234 5678\n");
  const short = join(root, "short.txt");
  writeFileSync(short, "the time machine\n");
  assertOneLineError((await cli("train", "charlm", "--text", join(root, "missing.txt"))), "train", /cannot read text file .*missing\.txt: no such file/, 1);
  assertOneLineError((await cli("train", "charlm", "--text", root)), "train", /cannot read text file .*: is a directory/, 1);
  assertOneLineError((await cli("train", "charlm", "--text", empty, "--out", join(root, "e"))), "train", /text file .*empty\.txt is empty/, 1);
  assertOneLineError((await cli("train", "charlm", "--text", digits, "--out", join(root, "d"))), "train", /text must contain at least one letter/, 1);
  assertOneLineError((await cli("train", "charlm", "--text", short, "--out", join(root, "s"))), "train", /corpus must have at least \d+ tokens .*got 16/, 1);
  // None of them left a run folder behind.
  assert.deepEqual(readdirSync(root).filter((f) => ["e", "d", "s"].includes(f)), []);
});

test("train: --out naming an existing run is refused and the run is left untouched", async () => {
  const before = hashAll(runDir);
  assertOneLineError((await cli("train", "charlm", ...TINY, "--out", runDir)), "train", /--out .*run already holds files .*continue it with --resume/, 2);
  assert.deepEqual(hashAll(runDir), before);
});

test("train --resume: a missing folder, conflicting settings, and a folder that is not a run", async () => {
  assertOneLineError((await cli("train", "charlm", "--resume", join(root, "nope"))), "train", /run folder .*nope does not exist/, 1);
  assertOneLineError((await cli("train", "charlm", "--resume", root)), "train", /is not a run folder: it has no config\.json/, 1);
  const before = hashAll(runDir);
  assertOneLineError((await cli("train", "charlm", "--resume", runDir, "--hidden", "16")), "train", /--hidden 16 differs from the run's 8; a resumed run keeps its settings/, 2);
  assertOneLineError((await cli("train", "charlm", "--resume", runDir, "--out", join(root, "other"))), "train", /name different folders/, 2);
  assert.deepEqual(hashAll(runDir), before);
});

test("generate: missing, unknown, corrupt, truncated and mismatched checkpoints", async () => {
  assertOneLineError((await cli("generate")), "generate", /--checkpoint RUN_DIR is required/, 2);
  assertOneLineError((await cli("generate", "--checkpoint", join(root, "nope"))), "generate", /checkpoint .*nope does not exist/, 1);
  assertOneLineError((await cli("generate", "--checkpoint", runDir, "--length", "-1")), "generate", /--length needs a value/, 2);
  assertOneLineError((await cli("generate", "--checkpoint", runDir, "--length=-1")), "generate", /--length must be a non-negative integer, got "-1"/, 2);
  assertOneLineError((await cli("generate", "--checkpoint", runDir, "--temperature", "hot")), "generate", /--temperature must be a number >= 0, got "hot"/, 2);
  assertOneLineError((await cli("generate", "--checkpoint", runDir, "--top-k", "1.5")), "generate", /--top-k must be a non-negative integer, got "1.5"/, 2);
  assertOneLineError((await cli("generate", "--checkpoint", runDir, "--prefix", "")), "generate", /--prefix must not be empty/, 2);
  assertOneLineError((await cli("generate", "--checkpoint", runDir, "stray")), "generate", /unexpected argument "stray"/, 2);

  const broken = (name: string, damage: (dir: string) => void): string => {
    const dir = join(root, name);
    cpSync(runDir, dir, { recursive: true });
    damage(dir);
    return dir;
  };
  const truncated = broken("truncated", (d) => truncateSync(join(d, "final.safetensors"), 50));
  assertOneLineError((await cli("generate", "--checkpoint", truncated)), "generate", /final\.json: metadata does not match its weights .*the file is 50 bytes/, 1);
  const mismatched = broken("mismatched", (d) => copyFileSync(join(d, "checkpoints", "epoch-0002.safetensors"), join(d, "final.safetensors")));
  assertOneLineError((await cli("generate", "--checkpoint", mismatched)), "generate", /final\.json: metadata does not match its weights/, 1);
  const badJson = broken("bad-json", (d) => writeFileSync(join(d, "final.json"), "{\"format\": \"recurrent-checkpoint\", \"epo"));
  assertOneLineError((await cli("generate", "--checkpoint", badJson)), "generate", /final\.json: metadata is not valid JSON/, 1);
  const badVocab = broken("bad-vocab", (d) => writeFileSync(join(d, "vocab.json"), "[1, 2]"));
  assertOneLineError((await cli("generate", "--checkpoint", badVocab)), "generate", /vocabulary .*vocab\.json: Vocab\.fromJSON: expected an object/, 1);
  const garbage = broken("garbage", (d) => writeFileSync(join(d, "final.safetensors"), Buffer.alloc(statSync(join(d, "final.safetensors")).size, 7)));
  assertOneLineError((await cli("generate", "--checkpoint", garbage)), "generate", /metadata does not match its weights .*SHA-256/, 1);
});

test("generate: a prefix with characters outside the vocabulary warns once on stderr and still generates", async () => {
  const r = (await cli("generate", "--checkpoint", runDir, "--prefix", "Time!", "--length", "5", "--backend", BACKEND));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trimEnd().split("\n").length, 1);
  assert.match(r.stderr, /^recurrent generate: warning: "T", "!" are not in the model's vocabulary .*read as <unk>\n$/);
  assert.match(r.stdout, /^Time!.{5}\n$/);
});

test("the real binary: exit codes, one line, no stack trace", async () => {
  const results = await Promise.all([
    spawnCli(["train", "charlm", "--hidden", "0"]).done,
    spawnCli(["train", "charlm", "--bogus"]).done,
    spawnCli(["generate"]).done,
    spawnCli(["generate", "--checkpoint", join(root, "nope")]).done,
  ]);
  assertOneLineError(results[0]!, "train", /^recurrent train: --hidden must be a positive integer, got "0"$/, 2);
  assertOneLineError(results[1]!, "train", /unknown option --bogus/, 2);
  assertOneLineError(results[2]!, "generate", /--checkpoint RUN_DIR is required/, 2);
  assertOneLineError(results[3]!, "generate", /checkpoint .*nope does not exist/, 1);
});
