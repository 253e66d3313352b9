/**
 * The heatmap model: a rows × cols grid of values, colour-mapped with the viridis-like ramp, with
 * a colour bar on the right. Row 0 is at the top, as in a matrix (for gate activations: one row per
 * unit, one column per time step). One layout serves both renderers (heatmap.ts).
 *
 * Pixel rule: the cells fill the area right of the y axis and above the x axis (see frame.ts);
 * the pixel whose centre falls in a cell takes its colour. Cells narrower than a pixel are thus
 * sampled, not blended.
 */
import { parseHexColor, THEME, type Rgba } from "./color.js";
import { viridis } from "./colormap.js";
import { CAP_HEIGHT, textWidth } from "./font.js";
import {
  canvasSize,
  checkPlotArea,
  frameTexts,
  leftMargin,
  optionalText,
  PAD,
  TICK_GAP,
  TICK_LENGTH,
  verticalMargins,
  type Frame,
  type Rect,
  type Tick,
  type TextItem,
} from "./frame.js";
import { formatNumber, integerTicks, niceTicks, type AxisTick } from "./ticks.js";

export interface HeatmapOptions {
  /** rows × cols values, row-major: cell (r, c) is values[r * cols + c]. NaN and ±Infinity draw grey. */
  values: ArrayLike<number>;
  /** Number of rows, a positive integer. */
  rows: number;
  /** Number of columns, a positive integer. */
  cols: number;
  /** Drawn centred above the grid; default none. */
  title?: string;
  /** Below the x axis (column index); default none. */
  xLabel?: string;
  /** Left of the y axis (row index), rotated; default none. */
  yLabel?: string;
  /** Value at the dark end of the ramp; smaller values clamp to it. Default: the smallest finite value. */
  min?: number;
  /** Value at the bright end of the ramp; larger values clamp to it. Default: the largest finite value. */
  max?: number;
  /** Canvas width in pixels, a positive integer; default 640. */
  width?: number;
  /** Canvas height in pixels, a positive integer; default 400. */
  height?: number;
  /** A label per row (unit names) instead of row numbers; every k-th is drawn when they would overlap. Default: row numbers. */
  rowLabels?: readonly string[];
  /** A label per column (the characters or words of a text) instead of column numbers; every k-th when they would overlap. Default: column numbers. */
  colLabels?: readonly string[];
}

export interface ColorBar {
  /** The ramp's rectangle: max at the top, min at the bottom. */
  rect: Rect;
  /** Ticks along the bar's right edge; pos is a pixel y. */
  ticks: Tick[];
}

export interface HeatmapLayout {
  frame: Frame;
  rows: number;
  cols: number;
  values: ArrayLike<number>;
  min: number;
  max: number;
  /** The cells' area in canvas pixels (integer edges). */
  cells: Rect;
  colorBar: ColorBar;
}

const OWNER = "heatmap";
const DEFAULT_WIDTH = 640;
const DEFAULT_HEIGHT = 400;
const BAR_GAP = 12;
const BAR_WIDTH = 14;
/** Smallest pixels per tick interval: rows, columns (before label widths), colour bar. */
const ROW_TICK_SPACING = 30;
const COL_TICK_SPACING = 50;
const BAR_TICK_SPACING = 45;

function finiteOption(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${OWNER}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

function positiveInt(name: string, v: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new RangeError(`${OWNER}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/** The colour range: the given ends, else the finite data's; a zero-width range is widened by ±0.5. */
function valueRange(values: ArrayLike<number>, min: number | undefined, max: number | undefined): [number, number] {
  if (min !== undefined && max !== undefined && !(min < max)) {
    throw new RangeError(`${OWNER}: min must be less than max, got min ${min} and max ${max}`);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) [lo, hi] = [0, 1];
  lo = min ?? lo;
  hi = max ?? hi;
  if (hi > lo) return [lo, hi];
  if (min !== undefined) return [lo, lo + 1];
  if (max !== undefined) return [hi - 1, hi];
  return [lo - 0.5, hi + 0.5];
}

function colorBarTicks(min: number, max: number, maxIntervals: number): AxisTick[] {
  const slack = (max - min) * 1e-9;
  const inside = niceTicks(min, max, maxIntervals).ticks.filter((t) => t.value >= min - slack && t.value <= max + slack);
  if (inside.length >= 2) return inside;
  return [min, max].map((v) => ({ value: v, label: formatNumber(Number(v.toPrecision(4))) }));
}

/** Labels given for `count` rows or columns, checked; undefined when none were given. */
function labelsOption(name: string, labels: readonly string[] | undefined, count: number): readonly string[] | undefined {
  if (labels === undefined) return undefined;
  if (!Array.isArray(labels) || labels.length !== count) {
    throw new RangeError(`${OWNER}: ${name} must be an array of ${count} strings (one per ${name === "rowLabels" ? "row" : "column"}), got ${Array.isArray(labels) ? `${labels.length}` : String(labels)}`);
  }
  labels.forEach((l, i) => {
    if (typeof l !== "string") throw new TypeError(`${OWNER}: ${name}[${i}] must be a string, got ${typeof l}`);
  });
  return labels;
}

/** Every k-th of `labels`, k the smallest step at which one label fits in k cells of `cellSize` pixels. */
function labelTicks(labels: readonly string[], cellSize: number, need: number): AxisTick[] {
  const step = Math.max(1, Math.ceil(need / Math.max(cellSize, 1e-9)));
  const ticks: AxisTick[] = [];
  for (let v = 0; v < labels.length; v += step) ticks.push({ value: v, label: labels[v]! });
  return ticks;
}

function fittingColumnTicks(cols: number, length: number): AxisTick[] {
  for (let n = Math.max(1, Math.floor(length / COL_TICK_SPACING)); ; n--) {
    const ticks = integerTicks(cols, n);
    const widest = Math.max(...ticks.map((t) => textWidth(t.label)));
    const step = ticks.length > 1 ? ticks[1].value - ticks[0].value : cols;
    if (n === 1 || widest + 8 <= (step * length) / cols) return ticks;
  }
}

/** Validates the options and computes every position both renderers need. */
export function layoutHeatmap(opts: HeatmapOptions): HeatmapLayout {
  if (typeof opts !== "object" || opts === null) throw new TypeError(`${OWNER}: options must be an object, got ${String(opts)}`);
  const rows = positiveInt("rows", opts.rows);
  const cols = positiveInt("cols", opts.cols);
  const { values } = opts;
  if (typeof values !== "object" || values === null || typeof values.length !== "number") {
    throw new TypeError(`${OWNER}: values must be an array of numbers (e.g. a Float32Array), got ${String(values)}`);
  }
  if (values.length !== rows * cols) {
    throw new RangeError(`${OWNER}: values must hold rows*cols = ${rows * cols} numbers for ${rows}x${cols}, got ${values.length}`);
  }
  const width = canvasSize(OWNER, "width", opts.width, DEFAULT_WIDTH);
  const height = canvasSize(OWNER, "height", opts.height, DEFAULT_HEIGHT);
  const spec = {
    title: optionalText(OWNER, "title", opts.title),
    xLabel: optionalText(OWNER, "xLabel", opts.xLabel),
    yLabel: optionalText(OWNER, "yLabel", opts.yLabel),
  };
  const [min, max] = valueRange(values, finiteOption("min", opts.min), finiteOption("max", opts.max));

  const { top, bottom } = verticalMargins(Boolean(spec.title), Boolean(spec.xLabel));
  const plotBottom = height - bottom;
  const plotHeight = plotBottom - top;
  const rowLabels = labelsOption("rowLabels", opts.rowLabels, rows);
  const colLabels = labelsOption("colLabels", opts.colLabels, cols);
  // Row labels need the text's height and a gap; column labels their widest width and a gap.
  const rowTicks = rowLabels !== undefined ? labelTicks(rowLabels, plotHeight / rows, CAP_HEIGHT + 4) : integerTicks(rows, Math.floor(plotHeight / ROW_TICK_SPACING));
  const barTicks = colorBarTicks(min, max, Math.floor(plotHeight / BAR_TICK_SPACING));
  const barLabelWidth = Math.max(...barTicks.map((t) => textWidth(t.label)));
  const left = Math.ceil(leftMargin(rowTicks.map((t) => t.label), Boolean(spec.yLabel)));
  const right = width - (PAD + barLabelWidth + TICK_GAP + TICK_LENGTH + BAR_WIDTH + BAR_GAP);
  const plot: Rect = { left, top, right, bottom: plotBottom };
  checkPlotArea(OWNER, plot, width, height);
  // Column `left` is the y axis and row `bottom` the x axis, so the cells start one pixel right.
  const cells: Rect = { left: left + 1, top, right: right + 1, bottom: plotBottom };
  const cellW = (cells.right - cells.left) / cols;
  const cellH = (cells.bottom - cells.top) / rows;
  const colTicks = colLabels !== undefined ? labelTicks(colLabels, cellW, Math.max(...colLabels.map((l) => textWidth(l))) + 4) : fittingColumnTicks(cols, cells.right - cells.left);

  const xTicks: Tick[] = colTicks.map((t) => ({ ...t, pos: cells.left + (t.value + 0.5) * cellW }));
  const yTicks: Tick[] = rowTicks.map((t) => ({ ...t, pos: cells.top + (t.value + 0.5) * cellH }));
  const texts: TextItem[] = frameTexts(width, height, plot, xTicks, yTicks, spec);

  const barLeft = cells.right + BAR_GAP;
  const bar: Rect = { left: barLeft, top, right: barLeft + BAR_WIDTH, bottom: plotBottom };
  const ticks: Tick[] = barTicks.map((t) => ({
    ...t,
    pos: bar.bottom - ((t.value - min) / (max - min)) * (bar.bottom - bar.top),
  }));
  for (const t of ticks) {
    texts.push({ text: t.label, x: bar.right + TICK_LENGTH + TICK_GAP, y: t.pos, anchor: "start", scale: 1, vertical: false });
  }
  const frame: Frame = { title: spec.title || undefined, width, height, plot, xTicks, yTicks, grid: false, texts };
  return { frame, rows, cols, values, min, max, cells, colorBar: { rect: bar, ticks } };
}

const MISSING: Rgba = parseHexColor(THEME.missing);

/** The colour of one value under the layout's range: viridis, grey for NaN and ±Infinity. */
export function heatColor(layout: HeatmapLayout, v: number): Rgba {
  if (!Number.isFinite(v)) return MISSING;
  return viridis((v - layout.min) / (layout.max - layout.min));
}

/** The column (or row) whose span holds the centre of pixel `p`, for `n` cells over [a, b). */
export function cellIndex(p: number, a: number, b: number, n: number): number {
  return Math.min(n - 1, Math.max(0, Math.floor(((p + 0.5 - a) * n) / (b - a))));
}

/** First pixel of each cell and one past the last cell, under the pixel-centre rule of cellIndex. */
export function cellEdges(a: number, b: number, n: number): number[] {
  const edges: number[] = [];
  for (let i = 0; i <= n; i++) edges.push(Math.ceil(a + ((b - a) * i) / n - 0.5));
  return edges;
}
