import { test } from "node:test";
import assert from "node:assert/strict";
import * as viz from "../../src/viz/index.js";

test("the viz entry point exports the plot functions, the PNG encoder and the Raster", () => {
  for (const name of ["linePlotSvg", "linePlotPng", "heatmapSvg", "heatmapPng", "encodePng", "layoutLinePlot", "layoutHeatmap", "viridis", "niceTicks", "logTicks"] as const) {
    assert.equal(typeof viz[name], "function", name);
  }
  const r = new viz.Raster(2, 2);
  r.setPixel(0, 0, "#000");
  assert.ok(viz.encodePng(2, 2, r.data).length > 8);
});
