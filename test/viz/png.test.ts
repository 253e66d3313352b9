import { test } from "node:test";
import assert from "node:assert/strict";
import { chunks, decodePng, pixel } from "./png-decode.js";
import { encodePng } from "../../src/viz/png-encode.js";
import { linePlotPng, linePlotRaster } from "../../src/viz/png.js";
import { layoutLinePlot, type LinePlotOptions } from "../../src/viz/lineplot.js";
import { parseHexColor } from "../../src/viz/color.js";
import { Generator } from "../../src/tensor/random.js";

test("encodePng round-trips images that exercise every filter and both DEFLATE block kinds", () => {
  const g = new Generator(3);
  const w = 37;
  const h = 23;
  const images: Uint8Array[] = [];
  images.push(new Uint8Array(w * h * 4).fill(255));
  images.push(Uint8Array.from({ length: w * h * 4 }, () => g.randint(0, 256))); // noise: stored blocks
  const gradient = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) gradient.set([x * 7, y * 11, (x * y) & 255, 255 - x], (y * w + x) * 4);
  }
  images.push(gradient);
  for (const rgba of images) {
    const back = decodePng(encodePng(w, h, rgba));
    assert.equal(back.width, w);
    assert.equal(back.height, h);
    assert.deepEqual(back.rgba, rgba);
  }
});

test("encodePng: a large image whose zlib stream spans several stored blocks", () => {
  const g = new Generator(4);
  const w = 200;
  const h = 120; // 96 KB of noise: two stored blocks
  const rgba = Uint8Array.from({ length: w * h * 4 }, () => g.randint(0, 256));
  assert.deepEqual(decodePng(encodePng(w, h, rgba)).rgba, rgba);
});

test("encodePng accepts a Uint8ClampedArray (canvas ImageData)", () => {
  const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 255, 128]);
  assert.deepEqual([...decodePng(encodePng(2, 1, rgba)).rgba], [...rgba]);
});

test("encodePng rejects bad sizes and buffers", () => {
  assert.throws(() => encodePng(0, 1, new Uint8Array(0)), /encodePng: width must be a positive integer, got 0/);
  assert.throws(() => encodePng(2, 1.5, new Uint8Array(12)), /encodePng: height must be a positive integer, got 1.5/);
  assert.throws(() => encodePng(2, 2, new Uint8Array(15)), /encodePng: rgba must hold width\*height\*4 = 16 bytes for 2x2, got 15/);
});

const plotOpts: LinePlotOptions = {
  title: "Perplexity per epoch",
  xLabel: "epoch",
  yLabel: "perplexity",
  series: [{ name: "train", x: [1, 2, 3, 4, 5, 6, 7, 8], y: [27, 18, 12, 9.5, 8, NaN, 6.5, 6.1], color: "#d62728" }],
};

test("linePlotPng: valid PNG, white corners, the series colour at each plotted point, no line across the gap", () => {
  const png = linePlotPng(plotOpts);
  assert.ok(png.length < 200_000, `${png.length} bytes`);
  const img = decodePng(png);
  assert.equal(img.width, 640);
  assert.equal(img.height, 400);
  const white = [255, 255, 255, 255];
  for (const [x, y] of [[0, 0], [639, 0], [0, 399], [639, 399]]) assert.deepEqual(pixel(img, x, y), white, `corner (${x}, ${y})`);
  const layout = layoutLinePlot(plotOpts);
  const red = [...parseHexColor("#d62728")];
  const { x, y } = plotOpts.series[0];
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(y[i])) continue;
    const px = Math.floor(layout.xToPixel(x[i]));
    const py = Math.floor(layout.yToPixel(y[i]));
    assert.deepEqual(pixel(img, px, py), red, `point ${i} at (${px}, ${py})`);
  }
  // Halfway between epochs 5 and 7 the line is interrupted: no red pixel in that column.
  const gapX = Math.floor(layout.xToPixel(6));
  for (let py = 0; py < 400; py++) assert.notDeepEqual(pixel(img, gapX, py), red, `red at (${gapX}, ${py}) inside the gap`);
  // A column between two joined points does carry the line.
  const joinedX = Math.floor(layout.xToPixel(2.5));
  assert.ok(Array.from({ length: 400 }, (_, py) => pixel(img, joinedX, py)).some((p) => p.join() === red.join()));
});

test("linePlotPng draws dark text: tick labels, the title and the axis labels leave non-white pixels where laid out", () => {
  const img = decodePng(linePlotPng(plotOpts));
  const layout = layoutLinePlot(plotOpts);
  for (const t of layout.frame.texts) {
    let dark = 0;
    const r = 8 * t.scale;
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        const px = Math.round(t.x) + dx;
        const py = Math.round(t.y) + dy;
        if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
        if (pixel(img, px, py)[0] < 100) dark++;
      }
    }
    assert.ok(dark > 3, `text "${t.text}" has ${dark} dark pixels near its anchor`);
  }
});

test("linePlotPng is the encoded linePlotRaster and is deterministic", () => {
  const png = linePlotPng(plotOpts);
  assert.deepEqual(png, encodePng(640, 400, linePlotRaster(plotOpts).data));
  assert.deepEqual(png, linePlotPng(plotOpts));
});

test("linePlotPng: two series with a legend and a log axis stay small and valid", () => {
  const n = 200;
  const x = Array.from({ length: n }, (_, i) => i);
  const png = linePlotPng({
    logY: true,
    series: [
      { name: "train", x, y: x.map((i) => 30 * Math.exp(-i / 40) + 3 + Math.sin(i)) },
      { name: "val", x, y: x.map((i) => 32 * Math.exp(-i / 50) + 4) },
    ],
  });
  assert.ok(png.length < 200_000, `${png.length} bytes`);
  decodePng(png);
});

test("linePlotPng: bad input throws the layout's errors", () => {
  assert.throws(() => linePlotPng({ series: [] }), /linePlot: series must be a non-empty array/);
  assert.throws(() => linePlotPng({ logY: true, series: [{ name: "loss", x: [0, 1], y: [1, 0] }] }), /series "loss" has y\[1\] = 0/);
});

test("encodePng compresses with fflate: a plot's IDAT starts with a dynamic-Huffman block (the hand-written encoder had fixed codes only)", () => {
  const xs = Array.from({ length: 30 }, (_, i) => i);
  const png = linePlotRaster({ title: "loss", series: [{ name: "a", x: xs, y: xs.map((x) => Math.sin(x / 3)) }] }).toPng();
  const idat = chunks(png).find((c) => c.type === "IDAT");
  assert.ok(idat !== undefined);
  assert.equal(idat.data[0]! & 0x0f, 8, "zlib: deflate method");
  const btype = (idat.data[2]! >> 1) & 3;
  assert.equal(btype, 2, `first DEFLATE block type ${btype}`);
  assert.ok(decodePng(png).width === 640);
});
