/**
 * Draws the shared frame of a layout (grid, axes, ticks, texts) onto a Raster: the PNG twin of
 * svg-frame.ts, putting each piece on the same pixels as the SVG's crisp 1 px lines.
 */
import { THEME } from "./color.js";
import { gridColumns, gridRows, TICK_LENGTH, type Frame } from "./frame.js";
import type { Raster } from "./raster.js";

/** Grid lines, drawn under the data. */
export function drawGrid(r: Raster, frame: Frame): void {
  if (!frame.grid) return;
  const { plot } = frame;
  for (const x of gridColumns(frame)) r.fillRect(x, plot.top, 1, plot.bottom - plot.top, THEME.grid);
  for (const y of gridRows(frame)) r.fillRect(plot.left + 1, y, plot.right - plot.left, 1, THEME.grid);
}

/** Axes on the plot rectangle's left column and bottom row, tick marks outside them, and texts. */
export function drawAxes(r: Raster, frame: Frame): void {
  const { plot } = frame;
  r.fillRect(plot.left, plot.top, 1, plot.bottom - plot.top + 1, THEME.axis);
  r.fillRect(plot.left, plot.bottom, plot.right - plot.left + 1, 1, THEME.axis);
  for (const t of frame.xTicks) r.fillRect(Math.floor(t.pos), plot.bottom + 1, 1, TICK_LENGTH, THEME.axis);
  for (const t of frame.yTicks) r.fillRect(plot.left - TICK_LENGTH, Math.floor(t.pos), TICK_LENGTH, 1, THEME.axis);
  for (const t of frame.texts) r.text(t.x, t.y, t.text, THEME.text, { scale: t.scale, anchor: t.anchor, vertical: t.vertical });
}
