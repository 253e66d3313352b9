/**
 * Plots of a run's history: one metric per plot against the epoch, the training values and,
 * when the history has them, the validation ones ("val_<name>"). Drawn as SVG and as PNG from
 * the same layout.
 */
import type { LinePlotOptions, Series } from "../viz/lineplot.js";
import { linePlotPng } from "../viz/png.js";
import { linePlotSvg } from "../viz/svg.js";
import type { EpochLogs } from "./metrics.js";

/**
 * Plot options for metric `name` against epoch; the y axis is logarithmic when the values are
 * positive and span more than a factor of 10.
 */
export function metricPlotOptions(history: readonly EpochLogs[], name: string, title: string): LinePlotOptions {
  const x = history.map((m) => m.epoch);
  const series: Series[] = [{ name: "train", x, y: history.map((m) => m[name] ?? NaN) }];
  if (history.some((m) => m[`val_${name}`] !== undefined)) series.push({ name: "validation", x, y: history.map((m) => m[`val_${name}`] ?? NaN) });
  const finite = series.flatMap((s) => Array.from(s.y)).filter((v) => Number.isFinite(v) && v > 0);
  const allPositive = series.every((s) => Array.from(s.y).every((v) => !Number.isFinite(v) || v > 0));
  const logY = allPositive && finite.length > 1 && Math.max(...finite) / Math.min(...finite) > 10;
  return { title, xLabel: "epoch", yLabel: name, logY, series };
}

/** The SVG text and PNG bytes of metric `name`'s plot; null without history. */
export function renderMetricPlot(history: readonly EpochLogs[], name: string, title: string): { svg: string; png: Uint8Array } | null {
  if (history.length === 0) return null;
  const opts = metricPlotOptions(history, name, title);
  return { svg: linePlotSvg(opts), png: linePlotPng(opts) };
}
