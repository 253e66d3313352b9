import { test } from "node:test";
import assert from "node:assert/strict";
import { viridis, VIRIDIS_STOPS } from "../../src/viz/colormap.js";
import { parseHexColor, toHexColor } from "../../src/viz/color.js";

test("viridis hits its stops exactly and clamps outside [0, 1]", () => {
  VIRIDIS_STOPS.forEach((hex, i) => assert.equal(toHexColor(viridis(i / (VIRIDIS_STOPS.length - 1))), hex));
  assert.deepEqual(viridis(-3), viridis(0));
  assert.deepEqual(viridis(7), viridis(1));
  assert.deepEqual(viridis(Number.NaN), viridis(0));
});

test("viridis gets brighter from 0 to 1, so the ramp reads in greyscale too", () => {
  let last = -1;
  for (let i = 0; i <= 100; i++) {
    const [r, g, b] = viridis(i / 100);
    const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    assert.ok(luma > last, `t=${i / 100}`);
    last = luma;
  }
});

test("parseHexColor reads #rgb and #rrggbb and refuses other forms", () => {
  assert.deepEqual(parseHexColor("#1f77b4"), [0x1f, 0x77, 0xb4, 255]);
  assert.deepEqual(parseHexColor("#fA0"), [0xff, 0xaa, 0x00, 255]);
  assert.throws(() => parseHexColor("red"), /parseHexColor: expected "#rgb" or "#rrggbb", got "red"/);
});
