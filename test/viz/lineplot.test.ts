import { test } from "node:test";
import assert from "node:assert/strict";
import { layoutLinePlot, type LinePlotOptions } from "../../src/viz/lineplot.js";
import { PALETTE } from "../../src/viz/color.js";
import { textWidth } from "../../src/viz/font.js";

const xs = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test("linePlot rejects bad input with errors naming linePlot, the argument and the series", () => {
  const ok = { name: "train", x: [1, 2, 3], y: [3, 2, 1] };
  const cases: [LinePlotOptions, RegExp][] = [
    [{ series: [] }, /^RangeError: linePlot: series must be a non-empty array, got 0 series$/],
    [{ series: [{ name: "val", x: [1, 2, 3], y: [1, 2] }] }, /linePlot: series "val" needs x and y of equal length, got x.length 3 and y.length 2/],
    [{ series: [ok], width: 0 }, /linePlot: width must be a positive integer, got 0/],
    [{ series: [ok], height: -5 }, /linePlot: height must be a positive integer, got -5/],
    [{ series: [ok], width: 320.5 }, /linePlot: width must be a positive integer, got 320.5/],
    [{ series: [ok], width: 40 }, /linePlot: width 40 leaves -?\d+ px for the plot area, need at least 20/],
    [{ series: [ok, { name: "val", x: [1, 2], y: [0.5, 0] }], logY: true }, /linePlot: logY needs every finite y > 0, but series "val" has y\[1\] = 0/],
    [{ series: [{ ...ok, color: "red" }] }, /linePlot: series "train" color must be "#rgb" or "#rrggbb", got "red"/],
  ];
  for (const [opts, re] of cases) assert.throws(() => layoutLinePlot(opts), (e: unknown) => re.test(String(e)), String(re));
});

test("linePlot: logY accepts gaps (NaN, -Infinity) and positive values", () => {
  const l = layoutLinePlot({ logY: true, series: [{ name: "p", x: [0, 1, 2, 3], y: [100, NaN, -Infinity, 1] }] });
  assert.equal(l.series[0].runs.length, 2);
});

test("linePlot: non-finite points split a series into runs and never count as zero", () => {
  const l = layoutLinePlot({ series: [{ name: "s", x: xs(7), y: [5, 6, NaN, 7, 8, Infinity, 9] }] });
  const runs = l.series[0].runs;
  assert.deepEqual(runs.map((r) => r.length / 2), [2, 2, 1]);
  // The y domain comes from the finite values only: 5..9 would not widen to include 0 if NaN were 0.
  assert.ok(l.yDomain[0] >= 4 && l.yDomain[1] <= 10, `y domain ${l.yDomain}`);
  assert.deepEqual([runs[1][0], runs[1][1]], [l.xToPixel(3), l.yToPixel(7)]);
});

test("linePlot: a NaN x is a gap too", () => {
  const l = layoutLinePlot({ series: [{ name: "s", x: [0, 1, NaN, 3], y: [1, 2, 3, 4] }] });
  assert.deepEqual(l.series[0].runs.map((r) => r.length / 2), [2, 1]);
});

test("linePlot: domains are the outer ticks and contain the data; pixels map linearly", () => {
  const l = layoutLinePlot({ series: [{ name: "s", x: [1, 20], y: [0.3, 9.2] }] });
  const { plot, xTicks, yTicks } = l.frame;
  assert.equal(l.xDomain[0], xTicks[0].value);
  assert.equal(l.yDomain[1], yTicks[yTicks.length - 1].value);
  assert.ok(l.xDomain[0] <= 1 && l.xDomain[1] >= 20 && l.yDomain[0] <= 0.3 && l.yDomain[1] >= 9.2);
  assert.equal(l.xToPixel(l.xDomain[0]), plot.left);
  assert.equal(l.xToPixel(l.xDomain[1]), plot.right);
  assert.equal(l.yToPixel(l.yDomain[0]), plot.bottom);
  assert.equal(l.yToPixel(l.yDomain[1]), plot.top);
  for (const t of xTicks) assert.equal(t.pos, l.xToPixel(t.value));
});

test("linePlot: with logY, 10 sits halfway between 1 and 100", () => {
  const l = layoutLinePlot({ logY: true, series: [{ name: "ppl", x: [0, 1, 2], y: [1, 10, 100] }] });
  assert.deepEqual(l.yDomain, [1, 100]);
  const mid = (l.yToPixel(1) + l.yToPixel(100)) / 2;
  assert.ok(Math.abs(l.yToPixel(10) - mid) < 1e-9);
  assert.deepEqual(
    l.frame.yTicks.map((t) => t.label),
    ["1", "2", "5", "10", "20", "50", "100"],
  );
});

test("linePlot: default colours follow the palette; given colours are kept", () => {
  const l = layoutLinePlot({
    series: [
      { name: "a", x: [0, 1], y: [0, 1] },
      { name: "b", x: [0, 1], y: [1, 0], color: "#123" },
      { name: "c", x: [0, 1], y: [1, 1] },
    ],
  });
  assert.deepEqual(l.series.map((s) => s.color), [PALETTE[0], "#123", PALETTE[2]]);
});

test("linePlot: a legend only for two or more series, in the corner with the fewest points", () => {
  assert.equal(layoutLinePlot({ series: [{ name: "a", x: [0, 1], y: [0, 1] }] }).legend, null);
  // Both series run through the top right and bottom left corners, so the legend goes top left or bottom right.
  const n = 50;
  const up = xs(n).map((i) => i / (n - 1));
  const l = layoutLinePlot({
    series: [
      { name: "first", x: up, y: up },
      { name: "second", x: up, y: up.map((v) => v * 0.98) },
    ],
  });
  assert.ok(l.legend);
  const { box } = l.legend;
  for (const s of l.series) {
    for (const run of s.runs) {
      for (let i = 0; i < run.length; i += 2) {
        const inside = run[i] >= box.left && run[i] <= box.right && run[i + 1] >= box.top && run[i + 1] <= box.bottom;
        assert.ok(!inside, `point (${run[i]}, ${run[i + 1]}) under the legend`);
      }
    }
  }
  assert.deepEqual(l.legend.entries.map((e) => e.name), ["first", "second"]);
});

test("linePlot: empty series and all-NaN series still lay out", () => {
  const l = layoutLinePlot({ series: [{ name: "none", x: [], y: [] }, { name: "nan", x: [0, 1], y: [NaN, NaN] }] });
  assert.deepEqual(l.series.map((s) => s.runs.length), [0, 0]);
  assert.ok(l.frame.xTicks.length >= 2 && l.frame.yTicks.length >= 2);
});

test("linePlot: the title, axis labels and every tick label are laid out inside the canvas", () => {
  const l = layoutLinePlot({
    title: "Perplexity",
    xLabel: "epoch",
    yLabel: "ppl",
    width: 300,
    height: 200,
    series: [{ name: "s", x: [-1234.5, 98765.4], y: [-12345.5, 3] }],
  });
  const texts = l.frame.texts;
  assert.ok(texts.some((t) => t.text === "Perplexity" && t.scale === 2));
  assert.ok(texts.some((t) => t.text === "ppl" && t.vertical));
  for (const t of texts) {
    const w = textWidth(t.text, t.scale);
    const start = t.anchor === "start" ? 0 : t.anchor === "middle" ? w / 2 : w;
    const [along, across] = t.vertical ? [-t.y, t.x] : [t.x, t.y];
    const [lo, hi] = [along - start, along - start + w];
    const [size, other] = t.vertical ? [200, 300] : [300, 200];
    const box = t.vertical ? [-hi, -lo] : [lo, hi];
    assert.ok(box[0] >= 0 && box[1] <= size, `${t.text} spans ${box} along an axis of ${size}`);
    assert.ok(across >= 0 && across <= other, `${t.text} at ${across} across`);
  }
});
