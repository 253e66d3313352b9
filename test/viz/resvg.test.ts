// PNG plots through resvg (the Node entry registers it): anti-aliased lines and real type, the
// size of the SVG, and the bitmap renderer as the fallback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useResvgForPng, createResvgRasterizer } from "../../src/viz/resvg.js";
import { registerSvgRasterizer, svgRasterizer } from "../../src/viz/rasterizer.js";
import { linePlotPng, linePlotRaster } from "../../src/viz/png.js";
import { heatmapPng, heatmapRaster } from "../../src/viz/heatmap.js";
import { chunks, decodePng, pixel } from "./png-decode.js";

const xs = Array.from({ length: 40 }, (_, i) => i + 1);
const plot = {
  title: "perplexity per epoch",
  xLabel: "epoch",
  yLabel: "perplexity",
  series: [
    { name: "train", x: xs, y: xs.map((x) => 25 * Math.exp(-x / 10) + 1) },
    { name: "valid", x: xs, y: xs.map((x) => 26 * Math.exp(-x / 12) + 1.5) },
  ],
};

/** Distinct RGB colours in a rectangle: a 5x7 bitmap font and aliased lines give a handful, anti-aliasing hundreds. */
function colours(img: { width: number; rgba: Uint8Array }, x0: number, y0: number, x1: number, y1: number): number {
  const seen = new Set<string>();
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) seen.add(pixel(img, x, y).slice(0, 3).join(","));
  return seen.size;
}

test("useResvgForPng registers resvg; linePlotPng then renders the SVG, anti-aliased, with real type", () => {
  const previous = svgRasterizer();
  try {
    assert.equal(useResvgForPng(), true, "@resvg/resvg-js and @fontsource/dejavu-sans are installed");
    const img = decodePng(linePlotPng(plot));
    assert.equal(img.width, 640);
    assert.equal(img.height, 400);
    assert.deepEqual(pixel(img, 0, 0), [255, 255, 255, 255]);
    registerSvgRasterizer(null);
    const bitmap = linePlotRaster(plot);
    // The title band: glyph edges in grey levels, not the bitmap font's two colours.
    const titleResvg = colours(img, 150, 0, 490, 30);
    const titleBitmap = colours({ width: bitmap.width, rgba: bitmap.data }, 150, 0, 490, 30);
    assert.ok(titleResvg >= 20, `${titleResvg} colours in the rendered title`);
    assert.ok(titleBitmap <= 4, `${titleBitmap} colours in the bitmap title`);
    // The whole plot: curves drawn with coverage-blended edges.
    const all = colours(img, 0, 0, 640, 400);
    const allBitmap = colours({ width: bitmap.width, rgba: bitmap.data }, 0, 0, 640, 400);
    assert.ok(all > 80 && all > 3 * allBitmap, `${all} colours in the rendered plot, ${allBitmap} in the bitmap one`);
  } finally {
    registerSvgRasterizer(previous);
  }
});

test("heatmapPng renders through resvg too", () => {
  const previous = svgRasterizer();
  try {
    assert.equal(useResvgForPng(), true);
    const opts = { values: Array.from({ length: 60 }, (_, i) => Math.sin(i)), rows: 6, cols: 10, title: "gates" };
    const viaResvg = heatmapPng(opts);
    registerSvgRasterizer(null);
    const bitmap = heatmapRaster(opts);
    const img = decodePng(viaResvg);
    assert.equal(img.width, bitmap.width);
    assert.equal(img.height, bitmap.height);
    assert.notDeepEqual(viaResvg, heatmapPng(opts));
  } finally {
    registerSvgRasterizer(previous);
  }
});

test("without a renderer, or when it declines (returns null), the bitmap renderer draws", () => {
  const previous = registerSvgRasterizer(null);
  try {
    const bitmap = linePlotRaster(plot).toPng();
    assert.deepEqual(linePlotPng(plot), bitmap);
    let calls = 0;
    registerSvgRasterizer((svg) => {
      calls++;
      assert.match(svg, /<svg /);
      return null;
    });
    assert.deepEqual(linePlotPng(plot), bitmap);
    assert.equal(calls, 1);
    assert.throws(() => registerSvgRasterizer("resvg" as unknown as null), /registerSvgRasterizer: expected a function/);
  } finally {
    registerSvgRasterizer(previous);
  }
});

test("createResvgRasterizer returns a renderer of valid PNG files", () => {
  const render = createResvgRasterizer();
  assert.ok(render !== null);
  const png = render('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="#ff0000"/></svg>');
  assert.ok(png !== null);
  const img = decodePng(png);
  assert.deepEqual([img.width, img.height], [30, 20]);
  assert.deepEqual(pixel(img, 15, 10), [255, 0, 0, 255]);
  assert.equal(chunks(png)[0]?.type, "IHDR");
});
