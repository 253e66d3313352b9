/**
 * Heatmaps as SVG and PNG, drawn from one layout (heatmap-layout.ts). Up to SVG_CELL_LIMIT cells
 * the SVG holds one <rect> per cell; larger grids are embedded as a one-pixel-per-cell PNG image
 * scaled up without smoothing, which keeps a 256-unit × 1000-step activation map to a few hundred
 * kilobytes instead of tens of megabytes of rects.
 */
import { svgRasterizer } from "./rasterizer.js";
import { THEME, toHexColor } from "./color.js";
import { VIRIDIS_STOPS } from "./colormap.js";
import { TICK_LENGTH } from "./frame.js";
import { base64 } from "./base64.js";
import { cellEdges, cellIndex, heatColor, layoutHeatmap, type HeatmapLayout, type HeatmapOptions } from "./heatmap-layout.js";
import { encodePng } from "./png-encode.js";
import { Raster } from "./raster.js";
import { drawAxes } from "./raster-frame.js";
import { axesSvg, num, SVG_CLOSE, svgOpen } from "./svg-frame.js";

/** Largest grid drawn as individual SVG rects. */
export const SVG_CELL_LIMIT = 20000;

function cellsAsRects(l: HeatmapLayout): string {
  const { cells, rows, cols, values } = l;
  const xs = cellEdges(cells.left, cells.right, cols);
  const ys = cellEdges(cells.top, cells.bottom, rows);
  const out: string[] = [`<g class="cells" shape-rendering="crispEdges">`];
  for (let r = 0; r < rows; r++) {
    const h = ys[r + 1] - ys[r];
    if (h <= 0) continue;
    for (let c = 0; c < cols; c++) {
      const w = xs[c + 1] - xs[c];
      if (w <= 0) continue;
      const fill = toHexColor(heatColor(l, values[r * cols + c]));
      out.push(`<rect x="${xs[c]}" y="${ys[r]}" width="${w}" height="${h}" fill="${fill}"/>`);
    }
  }
  out.push(`</g>`);
  return out.join("\n");
}

function cellsAsImage(l: HeatmapLayout): string {
  const { cells, rows, cols, values } = l;
  const rgba = new Uint8Array(rows * cols * 4);
  for (let i = 0; i < rows * cols; i++) rgba.set(heatColor(l, values[i]), i * 4);
  const href = `data:image/png;base64,${base64(encodePng(cols, rows, rgba))}`;
  return `<image class="cells" x="${cells.left}" y="${cells.top}" width="${cells.right - cells.left}" height="${cells.bottom - cells.top}" preserveAspectRatio="none" style="image-rendering:pixelated" xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="${href}"/>`;
}

function colorBarSvg(l: HeatmapLayout): string {
  const { rect, ticks } = l.colorBar;
  const stops = VIRIDIS_STOPS.map((c, i) => `<stop offset="${num(i / (VIRIDIS_STOPS.length - 1))}" stop-color="${c}"/>`);
  const marks = ticks.map((t) => `M${rect.right} ${Math.floor(t.pos) + 0.5}h${TICK_LENGTH}`).join("");
  return [
    `<defs><linearGradient id="heat-ramp" x1="0" y1="1" x2="0" y2="0">${stops.join("")}</linearGradient></defs>`,
    `<rect class="colorbar" x="${rect.left}" y="${rect.top}" width="${rect.right - rect.left}" height="${rect.bottom - rect.top}" fill="url(#heat-ramp)"/>`,
    `<path d="${marks}" stroke="${THEME.axis}" stroke-width="1" fill="none"/>`,
  ].join("\n");
}

/** A heatmap as an SVG document (UTF-8 text). Throws on invalid options; see HeatmapOptions. */
export function heatmapSvg(opts: HeatmapOptions): string {
  const l = layoutHeatmap(opts);
  const { frame } = l;
  const body = l.rows * l.cols <= SVG_CELL_LIMIT ? cellsAsRects(l) : cellsAsImage(l);
  return [svgOpen(frame.width, frame.height, frame.title), body, colorBarSvg(l), axesSvg(frame)].join("\n") + "\n" + SVG_CLOSE;
}

/** Draws a heatmap onto a new Raster; heatmapPng encodes it, tests and callers may inspect it. */
export function heatmapRaster(opts: HeatmapOptions): Raster {
  const l = layoutHeatmap(opts);
  const { frame, cells, rows, cols, values } = l;
  const r = new Raster(frame.width, frame.height, THEME.background);
  for (let py = cells.top; py < cells.bottom; py++) {
    const row = cellIndex(py, cells.top, cells.bottom, rows);
    for (let px = cells.left; px < cells.right; px++) {
      r.setPixel(px, py, heatColor(l, values[row * cols + cellIndex(px, cells.left, cells.right, cols)]));
    }
  }
  const { rect, ticks } = l.colorBar;
  for (let py = rect.top; py < rect.bottom; py++) {
    // The same ramp position an SVG gradient gives this pixel row's centre.
    const t = (rect.bottom - (py + 0.5)) / (rect.bottom - rect.top);
    r.fillRect(rect.left, py, rect.right - rect.left, 1, heatColor(l, l.min + t * (l.max - l.min)));
  }
  for (const t of ticks) r.fillRect(rect.right, Math.floor(t.pos), TICK_LENGTH, 1, THEME.axis);
  drawAxes(r, frame);
  return r;
}

/**
 * A heatmap as a PNG file (8-bit RGBA): rendered from the SVG by the registered SVG renderer
 * when there is one (see rasterizer.ts), else by the bitmap renderer. Throws on invalid options.
 */
export function heatmapPng(opts: HeatmapOptions): Uint8Array {
  const render = svgRasterizer();
  if (render !== null) {
    const png = render(heatmapSvg(opts));
    if (png !== null) return png;
  }
  return heatmapRaster(opts).toPng();
}
