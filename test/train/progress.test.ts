import { test } from "node:test";
import assert from "node:assert/strict";
import { Progress, formatDuration, progressMode, type ProgressMode } from "../../src/train/progress.js";
import type { EpochMetrics } from "../../src/tasks/charlm/metrics.js";

const metric = (epoch: number): EpochMetrics => ({ epoch, loss: 1, perplexity: Math.E, tokens: 1000, seconds: 0.5, tokensPerSecond: 2000, gradNorm: 0.3 });

/** Runs a 4-epoch, 3-batch-per-epoch run through a Progress and returns what it wrote. */
function simulate(mode: ProgressMode, logEvery?: number): string {
  let out = "";
  let clock = 0;
  const p = new Progress({
    mode,
    out: { write: (s: string) => (out += s) },
    logEvery,
    now: () => (clock += 150),
    columns: [{ key: "loss", label: "loss", digits: 4 }, { key: "perplexity", label: "ppl", digits: 3 }],
    rate: { unit: "tokens", label: "tok" },
  });
  p.begin(4);
  for (let e = 1; e <= 4; e++) {
    p.epochStart(e, 3);
    for (let b = 1; b <= 3; b++) p.batch(b, 3, b * 100);
    p.epochEnd({ ...metric(e) });
    if (e === 2) p.event("checkpoint", { epoch: 2, path: "x/epoch-0002.json" }, "checkpoint x/epoch-0002.json");
  }
  p.end();
  return out;
}

test("progressMode: --json wins, then --quiet, then a terminal gets the bar", () => {
  assert.equal(progressMode({ json: true, quiet: true, isTTY: true }), "json");
  assert.equal(progressMode({ quiet: true, isTTY: true }), "quiet");
  assert.equal(progressMode({ isTTY: true }), "bar");
  assert.equal(progressMode({ isTTY: false }), "lines");
  assert.equal(progressMode({}), "lines");
});

test("lines mode: one plain line per epoch and the events, no terminal control codes", () => {
  const out = simulate("lines");
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 5);
  assert.match(lines[0]!, /^epoch 1\/4 {2}loss 1\.0000 {2}ppl 2\.718 {2}2,000 tok\/s {2}0\.50 s$/);
  assert.equal(lines[2], "checkpoint x/epoch-0002.json");
  assert.ok(!out.includes("\r") && !out.includes("\x1b"));
});

test("json mode: every line is a JSON object with an event name", () => {
  const lines = simulate("json").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => l["event"]), ["epoch", "epoch", "checkpoint", "epoch", "epoch"]);
  assert.equal(lines[0]!["perplexity"], Math.E);
  assert.equal(lines[0]!["epochs"], 4);
  assert.equal(lines[2]!["path"], "x/epoch-0002.json");
});

test("quiet mode prints nothing", () => {
  assert.equal(simulate("quiet"), "");
});

test("bar mode redraws one line in place and leaves lasting lines every logEvery epochs", () => {
  const out = simulate("bar", 2);
  assert.ok(out.includes("\r\x1b[2K"));
  assert.match(out, /epoch 1\/4 \[#{8}-{16}\] 1\/3/);
  // Lasting lines: the first epoch, every second one, the events; the live line is cleared at the end.
  const lasting = out.split("\n").map((l) => l.split("\r\x1b[2K").pop()).filter((l) => l !== undefined && l.startsWith("epoch") && l.includes("loss"));
  assert.deepEqual(lasting.map((l) => l!.split("/")[0]), ["epoch 1", "epoch 2", "epoch 4"]);
  assert.ok(out.endsWith("\r\x1b[2K") || out.endsWith("\n"));
});

test("formatDuration", () => {
  assert.equal(formatDuration(4.25), "4.3 s");
  assert.equal(formatDuration(42), "42 s");
  assert.equal(formatDuration(192), "3 m 12 s");
  assert.equal(formatDuration(3900), "1 h 05 m");
  assert.equal(formatDuration(NaN), "?");
});
