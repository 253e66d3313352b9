/**
 * Line plots as standalone SVG documents. Each contiguous run of a series is one <polyline>
 * (a one-point run is a <circle>), tagged with data-series so tools can find a series' lines.
 */
import { THEME } from "./color.js";
import { layoutLinePlot, LINE_WIDTH, type Legend, type LinePlotOptions, type PlottedSeries } from "./lineplot.js";
import { axesSvg, escapeXml, gridSvg, num, SVG_CLOSE, svgOpen, textSvg } from "./svg-frame.js";


function seriesSvg(s: PlottedSeries): string {
  const out: string[] = [];
  const tag = `data-series="${escapeXml(s.name)}"`;
  for (const run of s.runs) {
    if (run.length === 2) {
      out.push(`<circle ${tag} cx="${num(run[0])}" cy="${num(run[1])}" r="${LINE_WIDTH}" fill="${s.color}"/>`);
      continue;
    }
    const pts: string[] = [];
    for (let i = 0; i < run.length; i += 2) pts.push(`${num(run[i])},${num(run[i + 1])}`);
    out.push(`<polyline ${tag} points="${pts.join(" ")}" fill="none" stroke="${s.color}" stroke-width="${LINE_WIDTH}" stroke-linejoin="round" stroke-linecap="round"/>`);
  }
  return out.join("\n");
}

function legendSvg(legend: Legend): string {
  const { box } = legend;
  const out = [
    `<g class="legend">`,
    `<rect x="${num(box.left + 0.5)}" y="${num(box.top + 0.5)}" width="${num(box.right - box.left)}" height="${num(box.bottom - box.top)}" fill="${THEME.background}" stroke="${THEME.legendBorder}" stroke-width="1"/>`,
  ];
  for (const e of legend.entries) {
    const y = num(e.y);
    out.push(`<line x1="${num(legend.swatchX0)}" y1="${y}" x2="${num(legend.swatchX1)}" y2="${y}" stroke="${e.color}" stroke-width="${LINE_WIDTH}"/>`);
    out.push(textSvg({ text: e.name, x: legend.textX, y: e.y, anchor: "start", scale: 1, vertical: false }));
  }
  out.push(`</g>`);
  return out.join("\n");
}

/** A line plot as an SVG document (UTF-8 text). Throws on invalid options; see LinePlotOptions. */
export function linePlotSvg(opts: LinePlotOptions): string {
  const layout = layoutLinePlot(opts);
  const { frame } = layout;
  // Data goes over the axes: points on the domain's edge would otherwise vanish under them.
  const parts = [svgOpen(frame.width, frame.height, frame.title), gridSvg(frame), axesSvg(frame), `<g class="series">`];
  for (const s of layout.series) parts.push(seriesSvg(s));
  parts.push(`</g>`);
  if (layout.legend) parts.push(legendSvg(layout.legend));
  return parts.filter((p) => p !== "").join("\n") + "\n" + SVG_CLOSE;
}
