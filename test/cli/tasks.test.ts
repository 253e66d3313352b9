import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "recurrent";
import { interactive } from "../../src/cli/io.js";
import { BACKEND, cli } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "recurrent-tasks-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

test("recurrent help COMMAND [TASK] prints that command's --help", async () => {
  for (const [argv, heading] of [
    [["help", "train"], /^Usage: recurrent train charlm \[options\]/],
    [["help", "train", "forecast"], /^Usage: recurrent train forecast \[options\][^]*--window N[^]*Tasks \(recurrent train TASK --help\):\n {2}charlm[^]*\n {2}forecast/],
    [["help", "evaluate"], /^Usage: recurrent evaluate TASK RUN_DIR/],
    [["help", "predict"], /^Usage: recurrent predict TASK RUN_DIR \[INPUT\][^]*forecast {4}INPUT: months/],
  ] as const) {
    const r = await cli(...argv);
    assert.equal(r.code, 0, argv.join(" "));
    assert.match(r.stdout, heading);
  }
});

test("did you mean: commands, tasks and flags", async () => {
  assert.match((await cli("trian")).stderr, /^recurrent: unknown command "trian" \(did you mean train\?\)/);
  assert.match((await cli("train", "forcast")).stderr, /unknown task "forcast" \(did you mean forecast\?\)/);
  assert.match((await cli("train", "forecast", "--windw", "3")).stderr, /unknown option --windw \(did you mean --window\?\)/);
  assert.match((await cli("evaluate", "forecast", "x", "--jsn")).stderr, /unknown option --jsn \(did you mean --json\?\)/);
});

test("--json turns an error into one JSON object on stderr", async () => {
  const r = await cli("train", "forecast", "--window", "0", "--json");
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.deepEqual(JSON.parse(r.stderr), { error: { command: "recurrent train", message: '--window must be a positive integer, got "0"', exitCode: 2 } });
  const missing = await cli("evaluate", "forecast", join(root, "nothing"), "--json");
  assert.equal(missing.code, 1);
  assert.match(JSON.parse(missing.stderr).error.message, /is not a forecast run folder: it has no config\.json/);
});

test("the live bar only on a terminal that understands it: NO_COLOR and TERM=dumb give plain lines", () => {
  const io = { stdout: { write: () => true, isTTY: true }, stderr: { write: () => true } };
  assert.equal(interactive(io, {}), true);
  assert.equal(interactive(io, { NO_COLOR: "1" }), false);
  assert.equal(interactive(io, { TERM: "dumb" }), false);
  assert.equal(interactive({ ...io, stdout: { write: () => true, isTTY: false } }, {}), false);
});

test("the char LM through evaluate and predict", async () => {
  const out = join(root, "charlm");
  const t = await cli("train", "charlm", "--hidden", "8", "--batch", "2", "--steps", "5", "--max-tokens", "200", "--epochs", "2", "--out", out, "--quiet", "--backend", BACKEND);
  assert.equal(t.code, 0, t.stderr);
  const ppl = Number(/perplexity (\d+\.\d+)/.exec(t.stdout)?.[1]);
  const ev = await cli("evaluate", "charlm", out, "--json", "--backend", BACKEND);
  assert.equal(ev.code, 0, ev.stderr);
  const scores = JSON.parse(ev.stdout) as Record<string, number>;
  assert.equal(scores["epoch"], 2);
  // The evaluation pass sees the weights after training, not the running average of an epoch.
  assert.ok(scores["perplexity"]! > 1 && Math.abs(Math.log(scores["perplexity"]!) - Math.log(ppl)) < 0.5, `${scores["perplexity"]} vs ${ppl}`);
  const p = await cli("predict", "charlm", out, "time traveller", "--backend", BACKEND);
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stdout.length, "time traveller".length + 50 + 1);
  assert.match((await cli("predict", "charlm")).stderr, /RUN_DIR is required/);
});
