/**
 * The part of a plot layout that every chart shares: canvas size, plot rectangle, axis ticks and
 * text placement. Layout functions compute a Frame once; the SVG and PNG renderers only draw it,
 * so both outputs put every tick and label at the same pixel.
 *
 * Coordinates are continuous pixels: pixel (i, j) covers [i, i+1) × [j, j+1), y grows downward.
 * Text sizes use the bitmap font's metrics (cap height 7 px and advance 6 px at scale 1).
 */
import { CAP_HEIGHT, textWidth } from "./font.js";

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A tick at data value `value`, drawn at pixel `pos` along its axis. */
export interface Tick {
  value: number;
  pos: number;
  label: string;
}

export type Anchor = "start" | "middle" | "end";

/**
 * One line of text. (x, y) is the anchor point at the vertical middle of the cap-height box;
 * `anchor` says which end of the text sits there. Vertical text reads bottom to top (rotated -90°),
 * so "start" is its lower end and the cap box spans x ± capHeight/2.
 */
export interface TextItem {
  text: string;
  x: number;
  y: number;
  anchor: Anchor;
  /** Font scale: 1 for ticks and labels, 2 for titles. */
  scale: number;
  vertical: boolean;
}

export interface Frame {
  /** The chart's title, also used as the SVG document title; undefined when none. */
  title: string | undefined;
  width: number;
  height: number;
  plot: Rect;
  xTicks: Tick[];
  yTicks: Tick[];
  /** Light grid lines at the ticks that are not on an axis. */
  grid: boolean;
  texts: TextItem[];
}

export const TITLE_SCALE = 2;
/** Blank border around everything. */
export const PAD = 10;
/** Length of a tick mark outside the axis. */
export const TICK_LENGTH = 5;
/** Space between a tick mark's end and its label. */
export const TICK_GAP = 4;
/** Space between tick labels and the axis label. */
export const LABEL_GAP = 10;
/** Space kept right of the plot so the last x tick label is not cut. */
export const RIGHT_ROOM = 14;

/** Top and bottom margins: they depend only on which texts exist, so they come before the ticks. */
export function verticalMargins(hasTitle: boolean, hasXLabel: boolean): { top: number; bottom: number } {
  const top = PAD + (hasTitle ? CAP_HEIGHT * TITLE_SCALE + 12 : 4);
  const bottom = PAD + TICK_LENGTH + TICK_GAP + CAP_HEIGHT + (hasXLabel ? LABEL_GAP + CAP_HEIGHT : 0);
  return { top, bottom };
}

/** Left margin: room for the widest y tick label and the rotated y axis label. */
export function leftMargin(yTickLabels: readonly string[], hasYLabel: boolean): number {
  const widest = Math.max(0, ...yTickLabels.map((s) => textWidth(s)));
  return PAD + (hasYLabel ? CAP_HEIGHT + LABEL_GAP : 0) + widest + TICK_GAP + TICK_LENGTH;
}

export interface FrameTextSpec {
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

/** Tick labels, title and axis labels, placed around `plot`. */
export function frameTexts(
  width: number,
  height: number,
  plot: Rect,
  xTicks: readonly Tick[],
  yTicks: readonly Tick[],
  spec: FrameTextSpec,
): TextItem[] {
  const texts: TextItem[] = [];
  const mid = CAP_HEIGHT / 2;
  const xLabelY = plot.bottom + TICK_LENGTH + TICK_GAP + mid;
  for (const t of xTicks) texts.push({ text: t.label, x: t.pos, y: xLabelY, anchor: "middle", scale: 1, vertical: false });
  const yLabelX = plot.left - TICK_LENGTH - TICK_GAP;
  for (const t of yTicks) texts.push({ text: t.label, x: yLabelX, y: t.pos, anchor: "end", scale: 1, vertical: false });
  const centerX = (plot.left + plot.right) / 2;
  if (spec.title) {
    // Centred over the plot, but moved back inside the canvas when it is wider than that allows.
    const half = textWidth(spec.title, TITLE_SCALE) / 2;
    const x = Math.max(PAD + half, Math.min(width - PAD - half, centerX));
    texts.push({ text: spec.title, x, y: PAD + (CAP_HEIGHT * TITLE_SCALE) / 2, anchor: "middle", scale: TITLE_SCALE, vertical: false });
  }
  if (spec.xLabel) {
    texts.push({ text: spec.xLabel, x: centerX, y: height - PAD - mid, anchor: "middle", scale: 1, vertical: false });
  }
  if (spec.yLabel) {
    texts.push({ text: spec.yLabel, x: PAD + mid, y: (plot.top + plot.bottom) / 2, anchor: "middle", scale: 1, vertical: true });
  }
  return texts;
}

/*
 * Pixel grid of the frame, shared by both renderers: the plot rectangle has integer edges; the
 * y axis is pixel column plot.left and the x axis pixel row plot.bottom; a tick at pos is drawn
 * on column (or row) floor(pos), so ticks at the domain ends fall on the axes and the far edges.
 */

/** Columns of vertical grid lines: each x tick except the one on the y axis. */
export function gridColumns(frame: Frame): number[] {
  const { plot } = frame;
  return frame.xTicks.map((t) => Math.floor(t.pos)).filter((x) => x > plot.left && x <= plot.right);
}

/** Rows of horizontal grid lines: each y tick except the one on the x axis. */
export function gridRows(frame: Frame): number[] {
  const { plot } = frame;
  return frame.yTicks.map((t) => Math.floor(t.pos)).filter((y) => y >= plot.top && y < plot.bottom);
}

/** Throws unless the plot rectangle keeps at least `min` pixels each way. */
export function checkPlotArea(owner: string, plot: Rect, width: number, height: number, min = 20): void {
  if (plot.right - plot.left < min) {
    throw new RangeError(`${owner}: width ${width} leaves ${plot.right - plot.left} px for the plot area, need at least ${min}`);
  }
  if (plot.bottom - plot.top < min) {
    throw new RangeError(`${owner}: height ${height} leaves ${plot.bottom - plot.top} px for the plot area, need at least ${min}`);
  }
}

/** A positive integer canvas dimension, or the default when absent. */
export function canvasSize(owner: string, name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${owner}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Optional text options must be strings when present. */
export function optionalText(owner: string, name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new TypeError(`${owner}: ${name} must be a string, got ${typeof value}`);
  return value;
}
