import { test } from "node:test";
import assert from "node:assert/strict";
import { Raster } from "../../src/viz/raster.js";
import { ADVANCE, CAP_HEIGHT, glyph, GLYPH_ROWS, GLYPH_WIDTH, textWidth } from "../../src/viz/font.js";
import type { Rgba } from "../../src/viz/color.js";

const BLACK: Rgba = [0, 0, 0, 255];
const WHITE = [255, 255, 255, 255];

/** Coordinates of every pixel that is not white, as "x,y". */
function inked(r: Raster): Set<string> {
  const out = new Set<string>();
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) if (r.getPixel(x, y).join() !== WHITE.join()) out.add(`${x},${y}`);
  }
  return out;
}

function bounds(points: Set<string>): { x0: number; y0: number; x1: number; y1: number } {
  const xy = [...points].map((p) => p.split(",").map(Number));
  return {
    x0: Math.min(...xy.map((p) => p[0])),
    y0: Math.min(...xy.map((p) => p[1])),
    x1: Math.max(...xy.map((p) => p[0])),
    y1: Math.max(...xy.map((p) => p[1])),
  };
}

test("Raster starts filled with the background, and setPixel/getPixel address (floor(x), floor(y))", () => {
  const r = new Raster(4, 3, "#102030");
  assert.equal(r.data.length, 4 * 3 * 4);
  assert.deepEqual(r.getPixel(3, 2), [0x10, 0x20, 0x30, 255]);
  r.setPixel(1.7, 2.2, [1, 2, 3, 4]);
  assert.deepEqual(r.getPixel(1, 2), [1, 2, 3, 4]);
  assert.deepEqual([...r.data.subarray((2 * 4 + 1) * 4, (2 * 4 + 1) * 4 + 4)], [1, 2, 3, 4]);
});

test("Raster clips drawing outside the canvas and rejects bad sizes and reads", () => {
  const r = new Raster(5, 5);
  r.setPixel(-1, 2, BLACK);
  r.setPixel(5, 0, BLACK);
  r.fillRect(-10, -10, 12, 12, BLACK);
  r.line(-20, 4.5, 30, 4.5, BLACK, 1);
  assert.equal(inked(r).size, 4 + 5);
  assert.throws(() => new Raster(0, 5), /Raster: width must be a positive integer, got 0/);
  assert.throws(() => new Raster(5, 2.5), /Raster: height must be a positive integer, got 2.5/);
  assert.throws(() => r.getPixel(5, 0), /Raster.getPixel: \(5, 0\) is outside the 5x5 canvas/);
});

test("Raster.fillRect covers exactly w x h pixels", () => {
  const r = new Raster(10, 10);
  r.fillRect(2, 3, 4, 2, BLACK);
  assert.deepEqual(bounds(inked(r)), { x0: 2, y0: 3, x1: 5, y1: 4 });
  assert.equal(inked(r).size, 8);
});

test("Raster.line: 2 px thick on every slope, endpoints' pixels included", () => {
  const cases: [number, number, number, number][] = [
    [2.5, 10.5, 30.5, 10.5], // horizontal
    [10.5, 2.5, 10.5, 30.5], // vertical
    [3.2, 4.7, 28.9, 22.1], // shallow
    [28.9, 3.3, 12.2, 30.6], // steep, drawn right to left
  ];
  for (const [x0, y0, x1, y1] of cases) {
    const r = new Raster(40, 40);
    r.line(x0, y0, x1, y1, BLACK, 2);
    const ink = inked(r);
    assert.ok(ink.has(`${Math.floor(x0)},${Math.floor(y0)}`) && ink.has(`${Math.floor(x1)},${Math.floor(y1)}`), `ends of ${[x0, y0, x1, y1]}`);
    const steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
    // Each step along the major axis has exactly two pixels across it.
    const counts = new Map<number, number>();
    for (const p of ink) {
      const [x, y] = p.split(",").map(Number);
      const k = steep ? y : x;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const [k, n] of counts) assert.equal(n, 2, `${[x0, y0, x1, y1]} at ${k}`);
  }
});

test("Raster.polyline joins segments and marks every vertex pixel", () => {
  const r = new Raster(30, 30);
  const pts = [2.5, 25.5, 10.2, 4.4, 20.7, 18.9, 27.5, 3.1];
  r.polyline(pts, "#ff0000", 2);
  for (let i = 0; i < pts.length; i += 2) assert.deepEqual(r.getPixel(pts[i], pts[i + 1]), [255, 0, 0, 255]);
});

test("Raster.text draws the font's bitmap, scaled, with the cap box centred on y", () => {
  const r = new Raster(40, 30);
  r.text(10, 15, "7", BLACK, { scale: 2 });
  const rows = glyph("7");
  const top = Math.round(15 - CAP_HEIGHT); // cap height 7 at scale 2 is 14 px, centred on y = 15
  for (let gy = 0; gy < GLYPH_ROWS; gy++) {
    for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
      const on = ((rows[gy] >> (GLYPH_WIDTH - 1 - gx)) & 1) === 1;
      for (const [dx, dy] of [[0, 0], [1, 1]]) {
        const p = r.getPixel(10 + gx * 2 + dx, top + gy * 2 + dy);
        assert.equal(p.join() === BLACK.join(), on, `glyph (${gx}, ${gy})`);
      }
    }
  }
});

test("Raster.text anchors: start, middle and end put the text's extent where asked", () => {
  const word = "Epoch 10";
  const w = textWidth(word);
  for (const [anchor, left] of [["start", 60], ["middle", 60 - w / 2], ["end", 60 - w]] as const) {
    const r = new Raster(120, 20);
    r.text(60, 10, word, BLACK, { anchor });
    const b = bounds(inked(r));
    assert.equal(b.x0, Math.round(left), anchor);
    assert.ok(b.x1 <= Math.round(left) + w - 1, anchor);
  }
});

test("Raster.text vertical reads bottom to top: the first character is lowest", () => {
  const r = new Raster(30, 80);
  r.text(15, 40, "L.", BLACK, { vertical: true, anchor: "middle" });
  const b = bounds(inked(r));
  assert.ok(b.y1 - b.y0 + 1 <= textWidth("L.") && b.y1 - b.y0 + 1 >= ADVANCE + 1, `height ${b.y1 - b.y0 + 1}`);
  assert.ok(b.x1 - b.x0 + 1 <= CAP_HEIGHT);
  // "L" rotated -90°: its long bar (the glyph's left column) becomes the bottom... of the L, at the lowest rows.
  const lowest = [...inked(r)].filter((p) => Number(p.split(",")[1]) === b.y1);
  assert.equal(lowest.length, CAP_HEIGHT, "the L's stem runs across the bottom row");
});

test("Raster.text draws a box for characters the font lacks", () => {
  const r = new Raster(20, 20);
  r.text(2, 10, "\u00e9", BLACK);
  const b = bounds(inked(r));
  assert.deepEqual([b.x1 - b.x0 + 1, b.y1 - b.y0 + 1], [GLYPH_WIDTH, CAP_HEIGHT]);
  assert.equal(inked(r).size, 2 * GLYPH_WIDTH + 2 * (CAP_HEIGHT - 2));
});
