/** The perplexity-per-epoch plot of a run, as SVG and PNG (the same layout drawn twice). */
import { writeFileAtomicSync } from "../io/atomic.js";
import type { LinePlotOptions } from "../viz/lineplot.js";
import { linePlotPng } from "../viz/png.js";
import { linePlotSvg } from "../viz/svg.js";
import type { EpochMetrics } from "./metrics.js";

/** Plot options for perplexity against epoch; the y axis is logarithmic when the values span more than a factor of 10. */
export function perplexityPlotOptions(metrics: readonly EpochMetrics[], title: string): LinePlotOptions {
  const x = metrics.map((m) => m.epoch);
  const y = metrics.map((m) => m.perplexity);
  const finite = y.filter((v) => Number.isFinite(v) && v > 0);
  const logY = finite.length > 1 && Math.max(...finite) / Math.min(...finite) > 10;
  return { title, xLabel: "epoch", yLabel: "perplexity", logY, series: [{ name: "train", x, y }] };
}

/** Writes the plot to `svgPath` and `pngPath`, each atomically. Does nothing without metrics. */
export function writePerplexityPlots(svgPath: string, pngPath: string, metrics: readonly EpochMetrics[], title: string): void {
  if (metrics.length === 0) return;
  const opts = perplexityPlotOptions(metrics, title);
  writeFileAtomicSync(svgPath, linePlotSvg(opts));
  writeFileAtomicSync(pngPath, linePlotPng(opts));
}
