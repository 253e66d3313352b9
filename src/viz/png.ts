/** Line plots as PNG files, rasterised from the same layout as the SVG (see lineplot.ts). */
import { THEME } from "./color.js";
import { layoutLinePlot, LINE_WIDTH, type Legend, type LinePlotOptions } from "./lineplot.js";
import { Raster } from "./raster.js";
import { drawAxes, drawGrid } from "./raster-frame.js";
import { svgRasterizer } from "./rasterizer.js";
import { linePlotSvg } from "./svg.js";

function drawLegend(r: Raster, legend: Legend): void {
  const { box } = legend;
  const x0 = Math.floor(box.left);
  const y0 = Math.floor(box.top);
  const w = Math.round(box.right - box.left) + 1;
  const h = Math.round(box.bottom - box.top) + 1;
  r.fillRect(x0, y0, w, h, THEME.legendBorder);
  r.fillRect(x0 + 1, y0 + 1, w - 2, h - 2, THEME.background);
  for (const e of legend.entries) {
    r.line(legend.swatchX0, e.y, legend.swatchX1, e.y, e.color, LINE_WIDTH);
    r.text(legend.textX, e.y, e.name, THEME.text);
  }
}

/** Draws a line plot onto a new Raster; linePlotPng encodes it, tests and callers may inspect it. */
export function linePlotRaster(opts: LinePlotOptions): Raster {
  const layout = layoutLinePlot(opts);
  const { frame } = layout;
  const r = new Raster(frame.width, frame.height, THEME.background);
  drawGrid(r, frame);
  // Data goes over the axes: points on the domain's edge would otherwise vanish under them.
  drawAxes(r, frame);
  for (const s of layout.series) {
    for (const run of s.runs) {
      // A lone point gets the SVG circle's diameter, so it is visible at all.
      if (run.length === 2) r.dot(run[0], run[1], s.color, 2 * LINE_WIDTH);
      else r.polyline(run, s.color, LINE_WIDTH);
    }
  }
  if (layout.legend) drawLegend(r, layout.legend);
  return r;
}

/**
 * A line plot as a PNG file (8-bit RGBA). Rendered from the SVG by the registered SVG renderer
 * when there is one (see rasterizer.ts; in Node, resvg through `recurrent/node`), else by the
 * bitmap renderer. Throws on invalid options; see LinePlotOptions.
 */
export function linePlotPng(opts: LinePlotOptions): Uint8Array {
  const render = svgRasterizer();
  if (render !== null) {
    const png = render(linePlotSvg(opts));
    if (png !== null) return png;
  }
  return linePlotRaster(opts).toPng();
}
