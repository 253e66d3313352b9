/**
 * The line-plot model: options, validation and the one layout that both renderers draw
 * (`linePlotSvg` in svg.ts, `linePlotPng` in png.ts).
 *
 * Non-finite points (NaN, ±Infinity in x or y) are gaps: they split a series into runs that are
 * drawn separately, never as zeros. A run of a single point is drawn as a dot.
 */
import { isHexColor, PALETTE } from "./color.js";
import { CAP_HEIGHT, textWidth } from "./font.js";
import {
  canvasSize,
  checkPlotArea,
  frameTexts,
  leftMargin,
  optionalText,
  PAD,
  RIGHT_ROOM,
  verticalMargins,
  type Frame,
  type Rect,
  type Tick,
} from "./frame.js";
import { logTicks, niceTicks, type TickSet } from "./ticks.js";

export interface Series {
  /** Shown in the legend and named in errors. */
  name: string;
  x: ArrayLike<number>;
  /** Same length as x; NaN or ±Infinity leaves a gap. */
  y: ArrayLike<number>;
  /** "#rgb" or "#rrggbb"; default: the next unused colour of PALETTE, by series index. */
  color?: string;
}

export interface LinePlotOptions {
  /** Drawn centred above the plot; default none. */
  title?: string;
  /** Below the x axis; default none. */
  xLabel?: string;
  /** Left of the y axis, rotated; default none. */
  yLabel?: string;
  /** Logarithmic y axis (every finite y must then be > 0); default false. */
  logY?: boolean;
  /** Canvas width in pixels, a positive integer; default 640. */
  width?: number;
  /** Canvas height in pixels, a positive integer; default 400. */
  height?: number;
  /** At least one series. A legend is drawn when there are two or more. */
  series: Series[];
}

export interface PlottedSeries {
  name: string;
  color: string;
  /** Contiguous runs of finite points, each flat [x0, y0, x1, y1, …] in canvas pixels. */
  runs: Float64Array[];
}

export interface LegendEntry {
  name: string;
  color: string;
  /** Centre line of the entry's row. */
  y: number;
}

export interface Legend {
  box: Rect;
  entries: LegendEntry[];
  /** The colour swatch is a line from swatchX0 to swatchX1 at each entry's y. */
  swatchX0: number;
  swatchX1: number;
  /** Left end of the names. */
  textX: number;
}

export interface LinePlotLayout {
  frame: Frame;
  series: PlottedSeries[];
  legend: Legend | null;
  logY: boolean;
  /** Axis domains after widening to the outer ticks. */
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  /** Data x to canvas pixel x. */
  xToPixel(x: number): number;
  /** Data y to canvas pixel y (log10 scale when logY). */
  yToPixel(y: number): number;
}

/** Stroke width of data lines in pixels, in both renderers. */
export const LINE_WIDTH = 2;

const OWNER = "linePlot";
const DEFAULT_WIDTH = 640;
const DEFAULT_HEIGHT = 400;
/** Smallest vertical pixels per y tick interval. */
const Y_TICK_SPACING = 45;
/** Smallest horizontal pixels per x tick interval, before label widths are considered. */
const X_TICK_SPACING = 60;
const LEGEND_PAD = 6;
const LEGEND_ROW = 12;
const LEGEND_SWATCH = 18;
const LEGEND_INSET = 8;

interface CheckedOptions {
  title: string | undefined;
  xLabel: string | undefined;
  yLabel: string | undefined;
  logY: boolean;
  width: number;
  height: number;
  series: Series[];
  colors: string[];
}

function isArrayLike(v: unknown): v is ArrayLike<number> {
  if (typeof v !== "object" || v === null || !("length" in v)) return false;
  const n = v.length;
  return typeof n === "number" && Number.isInteger(n) && n >= 0;
}

function validate(opts: LinePlotOptions): CheckedOptions {
  if (typeof opts !== "object" || opts === null) throw new TypeError(`${OWNER}: options must be an object, got ${String(opts)}`);
  const width = canvasSize(OWNER, "width", opts.width, DEFAULT_WIDTH);
  const height = canvasSize(OWNER, "height", opts.height, DEFAULT_HEIGHT);
  const logY = opts.logY ?? false;
  if (typeof logY !== "boolean") throw new TypeError(`${OWNER}: logY must be true or false, got ${String(logY)}`);
  const series = opts.series;
  if (!Array.isArray(series) || series.length === 0) {
    const got = Array.isArray(series) ? "0 series" : String(series);
    throw new RangeError(`${OWNER}: series must be a non-empty array, got ${got}`);
  }
  const colors: string[] = [];
  series.forEach((s, i) => {
    if (typeof s !== "object" || s === null || typeof s.name !== "string") {
      throw new TypeError(`${OWNER}: series[${i}] must be an object with a string name`);
    }
    const who = `series ${JSON.stringify(s.name)}`;
    if (!isArrayLike(s.x)) throw new TypeError(`${OWNER}: ${who} x must be an array of numbers`);
    if (!isArrayLike(s.y)) throw new TypeError(`${OWNER}: ${who} y must be an array of numbers`);
    if (s.x.length !== s.y.length) {
      throw new RangeError(`${OWNER}: ${who} needs x and y of equal length, got x.length ${s.x.length} and y.length ${s.y.length}`);
    }
    if (s.color !== undefined && (typeof s.color !== "string" || !isHexColor(s.color))) {
      throw new TypeError(`${OWNER}: ${who} color must be "#rgb" or "#rrggbb", got ${JSON.stringify(s.color)}`);
    }
    if (logY) {
      for (let j = 0; j < s.y.length; j++) {
        const v = s.y[j];
        if (Number.isFinite(v) && v <= 0) {
          throw new RangeError(`${OWNER}: logY needs every finite y > 0, but ${who} has y[${j}] = ${v}`);
        }
      }
    }
    colors.push(s.color ?? PALETTE[i % PALETTE.length]);
  });
  return {
    title: optionalText(OWNER, "title", opts.title),
    xLabel: optionalText(OWNER, "xLabel", opts.xLabel),
    yLabel: optionalText(OWNER, "yLabel", opts.yLabel),
    logY,
    width,
    height,
    series,
    colors,
  };
}

/** Smallest and largest of the values at drawn points (both coordinates finite); null when none. */
function extent(series: readonly Series[], axis: "x" | "y"): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.x[i]) || !Number.isFinite(s.y[i])) continue;
      const v = axis === "x" ? s.x[i] : s.y[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The largest tick count whose labels still fit side by side along `length` pixels. */
function xTickSet(lo: number, hi: number, length: number): TickSet {
  for (let n = Math.max(1, Math.floor(length / X_TICK_SPACING)); ; n--) {
    const set = niceTicks(lo, hi, n);
    const widest = Math.max(...set.ticks.map((t) => textWidth(t.label)));
    const spacing = length / Math.max(1, set.ticks.length - 1);
    if (n === 1 || widest + 12 <= spacing) return set;
  }
}

function runsOf(s: Series, xToPixel: (v: number) => number, yToPixel: (v: number) => number): Float64Array[] {
  const runs: Float64Array[] = [];
  let current: number[] = [];
  for (let i = 0; i <= s.x.length; i++) {
    const ok = i < s.x.length && Number.isFinite(s.x[i]) && Number.isFinite(s.y[i]);
    if (ok) {
      current.push(xToPixel(s.x[i]), yToPixel(s.y[i]));
    } else if (current.length > 0) {
      runs.push(Float64Array.from(current));
      current = [];
    }
  }
  return runs;
}

/** Puts the legend in whichever inner corner of the plot covers the fewest data points. */
function placeLegend(plot: Rect, names: readonly string[], colors: readonly string[], series: readonly PlottedSeries[]): Legend {
  const w = LEGEND_PAD * 3 + LEGEND_SWATCH + Math.max(...names.map((n) => textWidth(n)));
  const h = LEGEND_PAD * 2 + CAP_HEIGHT + (names.length - 1) * LEGEND_ROW;
  const lefts = [plot.right - LEGEND_INSET - w, plot.left + LEGEND_INSET];
  const tops = [plot.top + LEGEND_INSET, plot.bottom - LEGEND_INSET - h];
  let best: Rect = { left: lefts[0], top: tops[0], right: lefts[0] + w, bottom: tops[0] + h };
  let bestCount = Infinity;
  for (const top of tops) {
    for (const left of lefts) {
      const box = { left, top, right: left + w, bottom: top + h };
      let count = 0;
      for (const s of series) {
        for (const run of s.runs) {
          for (let i = 0; i < run.length; i += 2) {
            if (run[i] >= box.left && run[i] <= box.right && run[i + 1] >= box.top && run[i + 1] <= box.bottom) count++;
          }
        }
      }
      if (count < bestCount) {
        bestCount = count;
        best = box;
      }
    }
  }
  const entries = names.map((name, i) => ({
    name,
    color: colors[i],
    y: best.top + LEGEND_PAD + CAP_HEIGHT / 2 + i * LEGEND_ROW,
  }));
  const swatchX0 = best.left + LEGEND_PAD;
  return { box: best, entries, swatchX0, swatchX1: swatchX0 + LEGEND_SWATCH, textX: swatchX0 + LEGEND_SWATCH + LEGEND_PAD };
}

/** Validates the options and computes every position both renderers need. */
export function layoutLinePlot(opts: LinePlotOptions): LinePlotLayout {
  const o = validate(opts);
  const { width, height, logY } = o;
  const { top, bottom } = verticalMargins(o.title !== undefined && o.title !== "", Boolean(o.xLabel));
  const plotBottom = height - bottom;
  const plotHeight = plotBottom - top;
  const yMaxIntervals = Math.max(1, Math.floor(plotHeight / Y_TICK_SPACING));
  const yExtent = extent(o.series, "y");
  const ySet = logY
    ? logTicks(yExtent?.[0] ?? 1, yExtent?.[1] ?? 10, yMaxIntervals)
    : niceTicks(yExtent?.[0] ?? 0, yExtent?.[1] ?? 1, yMaxIntervals);
  const left = Math.ceil(leftMargin(ySet.ticks.map((t) => t.label), Boolean(o.yLabel)));
  const plot: Rect = { left, top, right: width - PAD - RIGHT_ROOM, bottom: plotBottom };
  checkPlotArea(OWNER, plot, width, height);
  const xExtent = extent(o.series, "x");
  const xSet = xTickSet(xExtent?.[0] ?? 0, xExtent?.[1] ?? 1, plot.right - plot.left);

  const xToPixel = (v: number): number => plot.left + ((v - xSet.lo) / (xSet.hi - xSet.lo)) * (plot.right - plot.left);
  const yLo = logY ? Math.log10(ySet.lo) : ySet.lo;
  const yHi = logY ? Math.log10(ySet.hi) : ySet.hi;
  const yToPixel = (v: number): number => {
    const t = ((logY ? Math.log10(v) : v) - yLo) / (yHi - yLo);
    return plot.bottom - t * (plot.bottom - plot.top);
  };

  const xTicks: Tick[] = xSet.ticks.map((t) => ({ ...t, pos: xToPixel(t.value) }));
  const yTicks: Tick[] = ySet.ticks.map((t) => ({ ...t, pos: yToPixel(t.value) }));
  const texts = frameTexts(width, height, plot, xTicks, yTicks, o);
  const frame: Frame = { title: o.title || undefined, width, height, plot, xTicks, yTicks, grid: true, texts };

  const series: PlottedSeries[] = o.series.map((s, i) => ({
    name: s.name,
    color: o.colors[i],
    runs: runsOf(s, xToPixel, yToPixel),
  }));
  const names = o.series.map((s) => s.name);
  const legend = o.series.length >= 2 ? placeLegend(plot, names, o.colors, series) : null;
  return {
    frame,
    series,
    legend,
    logY,
    xDomain: [xSet.lo, xSet.hi],
    yDomain: [ySet.lo, ySet.hi],
    xToPixel,
    yToPixel,
  };
}
