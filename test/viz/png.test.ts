import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { encodePng } from "../../src/viz/png-encode.js";
import { linePlotPng, linePlotRaster } from "../../src/viz/png.js";
import { layoutLinePlot, type LinePlotOptions } from "../../src/viz/lineplot.js";
import { parseHexColor } from "../../src/viz/color.js";
import { Generator } from "../../src/tensor/random.js";

/** Bitwise CRC-32, written independently of the table-driven one under test. */
function referenceCrc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

interface Chunk {
  type: string;
  data: Uint8Array;
}

/** Splits a PNG into chunks, asserting the signature, every CRC and the chunk order. */
function chunks(png: Uint8Array): Chunk[] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const crc = view.getUint32(at + 8 + len);
    assert.equal(crc, referenceCrc(png.subarray(at + 4, at + 8 + len)), `CRC of ${type}`);
    out.push({ type, data: png.subarray(at + 8, at + 8 + len) });
    at += 12 + len;
  }
  assert.equal(out[0].type, "IHDR");
  assert.equal(out[out.length - 1].type, "IEND");
  assert.equal(out[out.length - 1].data.length, 0);
  return out;
}

/** Decodes an 8-bit RGBA, non-interlaced PNG with node:zlib and the five PNG filters. */
function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const cs = chunks(png);
  const ihdr = new DataView(cs[0].data.buffer, cs[0].data.byteOffset, 13);
  const width = ihdr.getUint32(0);
  const height = ihdr.getUint32(4);
  assert.deepEqual([...cs[0].data.subarray(8)], [8, 6, 0, 0, 0], "8-bit RGBA, deflate, adaptive filtering, no interlace");
  const idat = Buffer.concat(cs.filter((c) => c.type === "IDAT").map((c) => c.data));
  const raw = inflateSync(idat); // also checks the zlib header and Adler-32
  const stride = width * 4;
  assert.equal(raw.length, height * (stride + 1));
  const rgba = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= 4 ? rgba[y * stride + i - 4] : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + i] : 0;
      const c = i >= 4 && y > 0 ? rgba[(y - 1) * stride + i - 4] : 0;
      let pred: number;
      if (type === 0) pred = 0;
      else if (type === 1) pred = a;
      else if (type === 2) pred = b;
      else if (type === 3) pred = (a + b) >> 1;
      else if (type === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`bad filter type ${type} on row ${y}`);
      rgba[y * stride + i] = (x + pred) & 0xff;
    }
  }
  return { width, height, rgba };
}

function pixel(img: { width: number; rgba: Uint8Array }, x: number, y: number): number[] {
  const i = (y * img.width + x) * 4;
  return [...img.rgba.subarray(i, i + 4)];
}

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
