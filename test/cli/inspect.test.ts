// recurrent inspect: a tiny char-LM run traced over a text gives one heatmap (SVG and PNG) per
// gate, c and h, and inspect.json whose trace agrees with the model; bad input gets one line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCharLM } from "../../src/tasks/charlm/run-files.js";
import { noGrad } from "../../src/autograd/mode.js";
import { oneHot } from "../../src/tensor/create.js";
import type { GateTrace } from "../../src/nn/trace.js";
import { BACKEND, cli } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "recurrent-inspect-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

const run = join(root, "lm");
const TINY = ["--cell", "lstm", "--hidden", "12", "--layers", "2", "--batch", "3", "--steps", "6", "--max-tokens", "300", "--epochs", "1", "--backend", BACKEND, "--quiet"];

interface InspectJson {
  version: number;
  task: string;
  tokens: string[];
  layer: number;
  units: { direction: string; units: number[] }[];
  files: string[];
  trace: GateTrace;
}

test("inspect writes a heatmap per gate, c and h of the top layer, and inspect.json with the whole trace", async () => {
  const t = await cli("train", "charlm", ...TINY, "--out", run);
  assert.equal(t.code, 0, t.stderr);
  const out = join(root, "inspect");
  const r = await cli("inspect", "--checkpoint", run, "--text", "the time machine", "--top", "5", "--out", out, "--backend", BACKEND);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^charlm run .*: RNNLM\(cell=lstm, hiddenSize=12, vocabSize=\d+\), epoch 1\nlayer 1, 16 steps; forward units \d+(, \d+){4}\n/);
  for (const s of ["i", "f", "g", "o", "c", "h"]) {
    for (const ext of ["svg", "png"]) assert.ok(existsSync(join(out, `l1-${s}.${ext}`)), `l1-${s}.${ext}`);
  }
  const svg = readFileSync(join(out, "l1-f.svg"), "utf8");
  assert.match(svg, /forget gate f, lstm layer 1/);
  assert.match(svg, />_</, "spaces are labelled _");
  const png = readFileSync(join(out, "l1-h.png"));
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);

  const json = JSON.parse(readFileSync(join(out, "inspect.json"), "utf8")) as InspectJson;
  assert.equal(json.version, 1);
  assert.equal(json.task, "charlm");
  assert.deepEqual(json.tokens, [..."the time machine"]);
  assert.equal(json.layer, 1);
  assert.equal(json.units[0]!.units.length, 5);
  assert.equal(json.trace.numLayers, 2);
  assert.deepEqual(json.trace.directions.map((d) => `${d.layer}${d.direction}`), ["0forward", "1forward"]);
  // The chosen units are the top layer's h rows of largest variance.
  const h = json.trace.directions[1]!.series.find((s) => s.name === "h")!.values;
  const variance = (row: number[]): number => {
    const m = row.reduce((a, b) => a + b, 0) / row.length;
    return row.reduce((a, b) => a + (b - m) ** 2, 0) / row.length;
  };
  const ranked = h.map((row, i) => [variance(row), i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
  assert.deepEqual(json.units[0]!.units, ranked.slice(0, 5));
  // The top layer's last h is the model's own output for the text.
  const { model, vocab } = loadCharLM(run);
  model.eval();
  const ids = vocab.toIndices([..."the time machine"]);
  const [y] = noGrad(() => model.rnn.forwardState(oneHot(ids, model.vocabSize, [ids.length])));
  const T = ids.length;
  for (let j = 0; j < 12; j++) assert.equal(h[j]![T - 1], y.data[(T - 1) * 12 + j]);

  const js = await cli("inspect", "--checkpoint", run, "--text", "time", "--layer", "0", "--out", join(root, "l0"), "--json", "--backend", BACKEND);
  assert.equal(js.code, 0, js.stderr);
  const summary = JSON.parse(js.stdout) as InspectJson;
  assert.equal(summary.layer, 0);
  assert.equal(summary.units[0]!.units.length, 12, "--top defaults to 16, capped by the 12 units");
  assert.ok(summary.files.every((f) => existsSync(f)));
});

test("inspect errors: missing flags, missing run, empty text, bad layer, a run whose input is not text", async () => {
  const cases: [string[], RegExp, number][] = [
    [["--text", "hi"], /--checkpoint RUN_DIR is required/, 2],
    [["--checkpoint", run], /--text is required/, 2],
    [["--checkpoint", run, "--text", ""], /--text must not be empty/, 2],
    [["--checkpoint", join(root, "nope"), "--text", "hi"], /run folder .*nope does not exist/, 1],
    [["--checkpoint", run, "--text", "hi", "--layer", "2"], /--layer must be below the model's 2 layers \(0-based\), got 2/, 2],
    [["--checkpoint", run, "--text", "hi", "--top", "0"], /--top must be a positive integer/, 2],
    [["--checkpoint", run, "--text", "hi", "--colour"], /--colour/, 2],
  ];
  for (const [argv, message, code] of cases) {
    const r = await cli("inspect", ...argv, "--backend", BACKEND);
    assert.equal(r.code, code, argv.join(" "));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, "one line");
  }
  const forecast = join(root, "forecast");
  assert.equal((await cli("train", "forecast", "--epochs", "1", "--hidden", "4", "--out", forecast, "--quiet", "--backend", BACKEND)).code, 0);
  const r = await cli("inspect", "--checkpoint", forecast, "--text", "hi", "--backend", BACKEND);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /is a forecast run; its model reads numbers, not text.*inspect works on charlm and sentiment runs/);
  writeFileSync(join(root, "file.txt"), "x");
  assert.match((await cli("inspect", "--checkpoint", join(root, "file.txt"), "--text", "hi")).stderr, /is a file; --checkpoint takes a run folder/);
  const help = await cli("help", "inspect");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: recurrent inspect --checkpoint RUN_DIR --text TEXT/);
});
