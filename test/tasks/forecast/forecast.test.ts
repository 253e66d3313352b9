import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manualSeed } from "recurrent";
import { parseMonthlyCsv } from "../../../src/data/series/index.js";
import { Forecaster, forecastLevels, resolveForecastConfig, splitSeries, trainingWindows, trainForecast } from "../../../src/tasks/forecast/index.js";
import { BACKEND, cli } from "../../cli/helpers.js";

const root = mkdtempSync(join(tmpdir(), "recurrent-forecast-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

const CSV = readFileSync(new URL("../../../data/co2-concentration.csv", import.meta.url), "utf8");
const SMALL = ["--hidden", "4", "--window", "12", "--horizon", "3", "--batch", "64", "--checkpoint-every", "1", "--backend", BACKEND];

test("the split: the scaler sees the training part only, and no training target reaches the held-out months", () => {
  const series = parseMonthlyCsv(CSV, "CO2");
  const split = splitSeries(series, 24, 12, 3);
  assert.equal(split.trainEnd, series.values.length - 24);
  const changed = { ...series, values: Float64Array.from(series.values, (v, i) => (i >= split.trainEnd ? v + 100 * i : v)) };
  assert.deepEqual(splitSeries(changed, 24, 12, 3).scaler, split.scaler);
  const windows = trainingWindows(split, 12, 3);
  // Origins run from 12 to trainEnd − 1 − 3, so the last target is month trainEnd − 1.
  assert.equal(windows.length, split.trainEnd - 1 - 3 - 12 + 1);
  assert.equal(trainingWindows({ ...split, series: changed }, 12, 3).y!.toArray().join(), windows.y!.toArray().join());
});

test("recursive and direct forecasts agree one step ahead and differ later", () => {
  const series = parseMonthlyCsv(CSV, "CO2");
  const split = splitSeries(series, 24, 12, 3);
  manualSeed(0);
  const model = new Forecaster({ cell: "gru", hiddenSize: 5, horizon: 3 });
  const origins = [split.trainEnd - 1, split.trainEnd + 5];
  const rec = forecastLevels(model, series.values, origins, 3, 12, split.scaler, "recursive");
  const dir = forecastLevels(model, series.values, origins, 3, 12, split.scaler, "direct");
  for (let o = 0; o < 2; o++) assert.ok(Math.abs(rec[o]![0]! - dir[o]![0]!) < 1e-9);
  assert.notEqual(rec[0]![2], dir[0]![2]);
  assert.throws(() => forecastLevels(model, series.values, origins, 4, 12, split.scaler, "direct"), /direct strategy reaches 3 months, asked for 4/);
});

test("trainForecast writes a run folder with results for the model and both baselines", async () => {
  const runDir = join(root, "lib");
  const config = resolveForecastConfig({ hiddenSize: 4, window: 12, horizon: 3, batchSize: 64, numEpochs: 2 });
  const r = await trainForecast({ config, runDir });
  assert.equal(r.aborted, false);
  for (const f of ["config.json", "metrics.jsonl", "loss.svg", "loss.png", "forecast.svg", "forecast.png", "results.json", "final.json", "final.safetensors"]) assert.ok(existsSync(join(runDir, f)), f);
  const scores = r.results?.scores ?? {};
  assert.deepEqual(Object.keys(scores), ["recursive", "direct", "seasonalNaiveDrift", "linearTrendSeasonal"]);
  for (const rows of Object.values(scores)) {
    assert.deepEqual(rows.map((s) => [s.horizon, s.count]), [[1, 24], [2, 23], [3, 22]]);
    for (const s of rows) assert.ok(Number.isFinite(s.mae) && s.mae > 0 && s.rmse >= s.mae && s.mase > 0);
  }
  assert.throws(() => resolveForecastConfig({ baselineYears: 1 }), /baselineYears must be at least 2/);
  assert.throws(() => resolveForecastConfig({ cell: "rnn" }), /cell must be one of lstm, gru/);
});

test("recurrent train forecast, --resume, evaluate and predict", async () => {
  const out = join(root, "cli");
  const first = await cli("train", "forecast", ...SMALL, "--epochs", "1", "--out", out);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /interpolated linearly: 1958-06, 1958-10, 1964-02, 1964-03, 1964-04/);
  const refused = await cli("train", "forecast", "--resume", out, "--hidden", "5", "--epochs", "2");
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--hidden 5 differs from the run's 4/);
  const resumed = await cli("train", "forecast", "--resume", out, "--epochs", "2", "--json", "--backend", BACKEND);
  assert.equal(resumed.code, 0, resumed.stderr);
  const events = resumed.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; epoch?: number; summary?: Record<string, number> });
  assert.deepEqual(events.filter((e) => e.event === "epoch").map((e) => e.epoch), [2]);
  const done = events.find((e) => e.event === "done");
  const ev = await cli("evaluate", "forecast", out, "--json", "--backend", BACKEND);
  assert.equal(ev.code, 0, ev.stderr);
  const scores = JSON.parse(ev.stdout) as Record<string, number>;
  assert.equal(scores["epoch"], 2);
  for (const key of ["recursive.h1.mae", "direct.h3.mase", "seasonalNaiveDrift.h3.rmse"]) assert.ok(Math.abs(scores[key]! - done!.summary![key]!) < 1e-9, key);
  const pred = await cli("predict", "forecast", out, "3", "--backend", BACKEND);
  assert.equal(pred.code, 0, pred.stderr);
  assert.match(pred.stdout, /^2020-05 {2}4\d\d\.\d\d\n2020-06 {2}4\d\d\.\d\d\n2020-07 {2}4\d\d\.\d\d\n$/);
  const bad = await cli("predict", "forecast", out, "0");
  assert.match(bad.stderr, /INPUT must be a number of months in \[1, 600\], got "0"/);
});
