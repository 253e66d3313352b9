/**
 * The depth experiment's figures: training loss per epoch of every network in one plot (as the
 * paper's figure 1), plain nets in shades of red and highway nets in shades of blue, darker for
 * deeper; and the LSTM against a highway network. Logarithmic y when the losses span a decade.
 */
import type { LinePlotOptions, Series } from "../../viz/lineplot.js";
import { linePlotPng } from "../../viz/png.js";
import { linePlotSvg } from "../../viz/svg.js";

/** One curve: a name and its training loss per epoch (NaN after a divergence). */
export interface LossCurve {
  name: string;
  kind: "plain" | "highway" | "lstm";
  losses: readonly number[];
  /** Overrides the kind's shade ("#rrggbb"). */
  color?: string;
}

const SHADES: Record<LossCurve["kind"], readonly string[]> = {
  plain: ["#fdae6b", "#fd8d3c", "#e6550d", "#a63603", "#7f2704"],
  highway: ["#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"],
  lstm: ["#2ca02c"],
};

/** Plot options for `curves` (each kind's curves shaded in the order given). */
export function lossPlotOptions(curves: readonly LossCurve[], title: string): LinePlotOptions {
  const seen: Record<string, number> = {};
  const series: Series[] = curves.map((c) => {
    const i = seen[c.kind] ?? 0;
    seen[c.kind] = i + 1;
    const shades = SHADES[c.kind];
    return { name: c.name, x: c.losses.map((_, e) => e + 1), y: c.losses, color: c.color ?? shades[Math.min(i, shades.length - 1)]! };
  });
  const finite = curves.flatMap((c) => c.losses.filter((v) => Number.isFinite(v) && v > 0));
  const logY = finite.length > 1 && Math.max(...finite) / Math.min(...finite) > 10;
  return { title, xLabel: "epoch", yLabel: "training loss (cross-entropy)", logY, series, width: 720, height: 440 };
}

/** The SVG text and PNG bytes of the loss plot. */
export function renderLossPlot(curves: readonly LossCurve[], title: string): { svg: string; png: Uint8Array } {
  const opts = lossPlotOptions(curves, title);
  return { svg: linePlotSvg(opts), png: linePlotPng(opts) };
}
