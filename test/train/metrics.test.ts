import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEpochMetrics } from "../../src/tasks/charlm/metrics.js";
import { formatMetricsLog, readMetricsLog, writeMetricsLog } from "../../src/train/metrics-log.js";
import { metricPlotOptions, renderMetricPlot } from "../../src/train/plot.js";

test("the metrics log round-trips, one JSON object per line, and names a bad line", () => {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-metrics-"));
  try {
    const metrics = [1, 2, 3].map((epoch) => ({ epoch, loss: 3 / epoch, perplexity: Math.exp(3 / epoch), tokens: 10, seconds: 0.1, tokensPerSecond: 100, gradNorm: 0.2 }));
    const path = join(dir, "metrics.jsonl");
    writeMetricsLog(path, metrics);
    assert.equal(formatMetricsLog(metrics).split("\n").length, 4);
    assert.deepEqual(readMetricsLog(path), metrics);
    writeMetricsLog(path, metrics.slice(0, 1));
    assert.deepEqual(readMetricsLog(path), metrics.slice(0, 1));
    writeFileSync(path, `${JSON.stringify(metrics[0])}\n{"epoch": 2, "loss": "high"}\n`);
    assert.throws(() => readMetricsLog(path), /line 2: loss must be a number, got "high"/);
    assert.throws(() => parseEpochMetrics({ epoch: 0 }, "here"), /here: epoch must be a positive integer, got 0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the perplexity plot is written as SVG and PNG, on a log axis when it spans more than a factor of 10", () => {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-plot-"));
  try {
    const metrics = [1, 2, 3, 4].map((epoch) => ({ epoch, loss: 4 / epoch, perplexity: Math.exp(4 / epoch), tokens: 10, seconds: 1, tokensPerSecond: 10, gradNorm: 1 }));
    const plot = renderMetricPlot(metrics, "perplexity", "Perplexity: test");
    assert.ok(plot !== null);
    writeFileSync(join(dir, "p.svg"), plot.svg);
    const svgText = readFileSync(join(dir, "p.svg"), "utf8");
    assert.match(svgText, /^<\?xml[\s\S]*<svg[\s\S]*Perplexity: test[\s\S]*<\/svg>\n$/);
    assert.deepEqual([...plot.png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    assert.equal(metricPlotOptions(metrics, "perplexity", "t").logY, true);
    assert.equal(metricPlotOptions(metrics.slice(2), "perplexity", "t").logY, false);
    assert.equal(renderMetricPlot([], "perplexity", "t"), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
