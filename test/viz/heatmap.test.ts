import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { heatmapPng, heatmapRaster, heatmapSvg, SVG_CELL_LIMIT } from "../../src/viz/heatmap.js";
import { cellEdges, cellIndex, layoutHeatmap, type HeatmapOptions } from "../../src/viz/heatmap-layout.js";
import { encodePng } from "../../src/viz/png-encode.js";
import { parseHexColor, THEME, toHexColor } from "../../src/viz/color.js";
import { viridis } from "../../src/viz/colormap.js";

const rows = 3;
const cols = 4;
// 0..11 row-major, with one NaN: cell (1, 2).
const values = Float32Array.from({ length: rows * cols }, (_, i) => (i === 6 ? NaN : i));
const opts: HeatmapOptions = { values, rows, cols, title: "gates", xLabel: "t", yLabel: "unit" };

test("heatmap rejects bad input with errors naming heatmap and the argument", () => {
  const cases: [HeatmapOptions, RegExp][] = [
    [{ ...opts, values: new Float32Array(11) }, /heatmap: values must hold rows\*cols = 12 numbers for 3x4, got 11/],
    [{ ...opts, rows: 0 }, /heatmap: rows must be a positive integer, got 0/],
    [{ ...opts, cols: 2.5 }, /heatmap: cols must be a positive integer, got 2.5/],
    [{ ...opts, min: 3, max: 3 }, /heatmap: min must be less than max, got min 3 and max 3/],
    [{ ...opts, max: Number.NaN }, /heatmap: max must be a finite number, got NaN/],
    [{ ...opts, width: 30 }, /heatmap: width 30 leaves -?\d+ px for the plot area/],
  ];
  for (const [o, re] of cases) {
    assert.throws(() => heatmapSvg(o), re);
    assert.throws(() => heatmapPng(o), re);
  }
});

test("heatmap: the colour range defaults to the finite values and honours min/max", () => {
  assert.deepEqual([layoutHeatmap(opts).min, layoutHeatmap(opts).max], [0, 11]);
  const l = layoutHeatmap({ ...opts, min: -1, max: 1 });
  assert.deepEqual([l.min, l.max], [-1, 1]);
  const flat = layoutHeatmap({ values: new Float32Array(4).fill(2), rows: 2, cols: 2 });
  assert.deepEqual([flat.min, flat.max], [1.5, 2.5]);
});

test("heatmapSvg: one rect per cell, min dark, max bright, NaN grey", () => {
  const svg = heatmapSvg(opts);
  const group = svg.slice(svg.indexOf(`<g class="cells"`), svg.indexOf("</g>"));
  const rects = [...group.matchAll(/<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" fill="(#[0-9a-f]{6})"\/>/g)];
  assert.equal(rects.length, rows * cols);
  const fill = (r: number, c: number): string => rects[r * cols + c][5];
  assert.equal(fill(0, 0), toHexColor(viridis(0)));
  assert.equal(fill(2, 3), toHexColor(viridis(1)));
  assert.equal(fill(1, 2), THEME.missing);
  assert.equal(fill(0, 1), toHexColor(viridis(1 / 11)));
  // Cells tile the area without gaps: each starts where its left neighbour ends.
  for (let c = 1; c < cols; c++) {
    assert.equal(Number(rects[c][1]), Number(rects[c - 1][1]) + Number(rects[c - 1][3]));
  }
  assert.match(svg, /<linearGradient id="heat-ramp"/);
  assert.match(svg, /<title>gates<\/title>/);
});

test("heatmapSvg embeds large grids as a PNG image instead of rects", () => {
  const n = SVG_CELL_LIMIT + 1;
  const big = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  const svg = heatmapSvg({ values: big, rows: 1, cols: n });
  assert.doesNotMatch(svg, /<g class="cells"/);
  assert.match(svg, /<image class="cells"/);
  const b64 = svg.match(/xlink:href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/)?.[1];
  assert.ok(b64);
  const png = Buffer.from(b64, "base64");
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.equal(png.readUInt32BE(16), n);
  assert.equal(png.readUInt32BE(20), 1);
});

test("heatmapRaster: the pixel at each cell's centre has the cell's colour", () => {
  const l = layoutHeatmap(opts);
  const r = heatmapRaster(opts);
  const { cells } = l;
  for (let row = 0; row < rows; row++) {
    for (let c = 0; c < cols; c++) {
      const x = cells.left + ((c + 0.5) * (cells.right - cells.left)) / cols;
      const y = cells.top + ((row + 0.5) * (cells.bottom - cells.top)) / rows;
      const v = values[row * cols + c];
      const want = Number.isFinite(v) ? viridis(v / 11) : parseHexColor(THEME.missing);
      assert.deepEqual(r.getPixel(x, y), want, `cell (${row}, ${c})`);
    }
  }
  // The colour bar runs from the bright end at the top to the dark end at the bottom.
  const bar = l.colorBar.rect;
  const mid = (bar.left + bar.right) / 2;
  assert.deepEqual(r.getPixel(mid, bar.top), viridis((bar.bottom - bar.top - 0.5) / (bar.bottom - bar.top)));
  assert.deepEqual(r.getPixel(mid, bar.bottom - 1), viridis(0.5 / (bar.bottom - bar.top)));
  assert.deepEqual(r.getPixel(0, 0), [255, 255, 255, 255]);
});

test("heatmap: PNG pixels and SVG rects agree on which cell each pixel belongs to", () => {
  for (const [a, b, n] of [[41, 600, 7], [10, 20, 30], [0, 333, 333]]) {
    const edges = cellEdges(a, b, n);
    for (let p = a; p < b; p++) {
      const i = cellIndex(p, a, b, n);
      assert.ok(edges[i] <= p && p < edges[i + 1], `pixel ${p}: cell ${i} spans [${edges[i]}, ${edges[i + 1]})`);
    }
  }
});

test("heatmapPng is the encoded heatmapRaster, and a valid zlib-compressed PNG", () => {
  const png = heatmapPng(opts);
  const r = heatmapRaster(opts);
  assert.deepEqual(png, encodePng(r.width, r.height, r.data));
  const idatLen = Buffer.from(png).readUInt32BE(33);
  assert.equal(Buffer.from(png.subarray(37, 41)).toString("latin1"), "IDAT");
  const raw = inflateSync(png.subarray(41, 41 + idatLen));
  assert.equal(raw.length, r.height * (r.width * 4 + 1));
});

test("heatmap: colour-bar ticks lie within min..max and are labelled", () => {
  const l = layoutHeatmap({ ...opts, min: -0.8, max: 0.95 });
  const values = l.colorBar.ticks.map((t) => t.value);
  assert.ok(values.length >= 2);
  for (const v of values) assert.ok(v >= -0.8 && v <= 0.95, String(v));
  for (const t of l.colorBar.ticks) assert.ok(l.frame.texts.some((x) => x.text === t.label && Math.abs(x.y - t.pos) < 1e-9));
});

test("heatmapSvg: elements nest and close, and the title is escaped", () => {
  const svg = heatmapSvg({ ...opts, title: "i & f <gates>" });
  assert.match(svg, /<title>i &amp; f &lt;gates&gt;<\/title>/);
  const opened = [...svg.matchAll(/<(g|svg|defs|linearGradient)[\s>]/g)].length;
  const closed = [...svg.matchAll(/<\/(g|svg|defs|linearGradient)>/g)].length;
  assert.equal(opened, closed);
  assert.ok(svg.trimEnd().endsWith("</svg>"));
});

test("heatmap: row and column labels replace the numbers, thinned to every k-th when they would overlap", () => {
  const labelled = layoutHeatmap({ ...opts, rowLabels: ["u7", "u2", "u5"], colLabels: ["t", "h", "e", "_"] });
  assert.deepEqual(labelled.frame.yTicks.map((t) => t.label), ["u7", "u2", "u5"]);
  assert.deepEqual(labelled.frame.xTicks.map((t) => t.label), ["t", "h", "e", "_"]);
  assert.match(heatmapSvg({ ...opts, colLabels: ["t", "h", "e", "_"] }), />_</);
  // 100 long labels on 640 pixels cannot all fit: every k-th is drawn, starting with the first.
  const many = Array.from({ length: 100 }, (_, i) => `word${i}`);
  const thin = layoutHeatmap({ values: new Float32Array(100), rows: 1, cols: 100, colLabels: many });
  const shown = thin.frame.xTicks.map((t) => t.value);
  assert.ok(shown.length > 1 && shown.length < 100 && shown[0] === 0, `${shown.length} labels`);
  const step = shown[1]! - shown[0]!;
  assert.ok(shown.every((v, i) => v === i * step));
  assert.throws(() => layoutHeatmap({ ...opts, colLabels: ["a"] }), /heatmap: colLabels must be an array of 4 strings \(one per column\), got 1/);
  assert.throws(() => layoutHeatmap({ ...opts, rowLabels: ["a", "b", 3 as unknown as string] }), /heatmap: rowLabels\[2\] must be a string, got number/);
});
