/** Plots as SVG and PNG in pure TypeScript (no Node-only imports), for Node and the browser. */
export { linePlotSvg } from "./svg.js";
export { linePlotPng, linePlotRaster } from "./png.js";
export { layoutLinePlot, type LinePlotLayout, type LinePlotOptions, type Series } from "./lineplot.js";
export { heatmapPng, heatmapRaster, heatmapSvg } from "./heatmap.js";
export { layoutHeatmap, type HeatmapLayout, type HeatmapOptions } from "./heatmap-layout.js";
export { encodePng } from "./png-encode.js";
export { Raster, type TextOptions } from "./raster.js";
export { PALETTE, type Rgba } from "./color.js";
export { viridis } from "./colormap.js";
export { logTicks, niceTicks, type AxisTick, type TickSet } from "./ticks.js";
export { registerSvgRasterizer, svgRasterizer, type SvgToPng } from "./rasterizer.js";
export { woffToSfnt } from "./woff.js";
