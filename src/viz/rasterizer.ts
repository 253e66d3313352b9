/**
 * The hook through which `linePlotPng` and `heatmapPng` use a better renderer when one is
 * registered. The built-in bitmap renderer works everywhere (browsers included) but draws
 * aliased lines and a 5x7 pixel font; in Node, `recurrent/node` registers resvg (when the
 * optional `@resvg/resvg-js` package is installed), which renders the plot's SVG itself, so the
 * PNG looks like the SVG. This file imports nothing, so the browser entry stays free of Node code.
 */

/** Renders an SVG document to PNG bytes, or returns null to let the caller fall back to the bitmap renderer. */
export type SvgToPng = (svg: string) => Uint8Array | null;

let current: SvgToPng | null = null;

/** Sets (or with null clears) the SVG renderer the PNG plot functions prefer; returns the previous one. */
export function registerSvgRasterizer(render: SvgToPng | null): SvgToPng | null {
  if (render !== null && typeof render !== "function") throw new TypeError("registerSvgRasterizer: expected a function (svg) => Uint8Array | null, or null");
  const previous = current;
  current = render;
  return previous;
}

/** The registered SVG renderer, or null when plots are drawn by the bitmap renderer. */
export function svgRasterizer(): SvgToPng | null {
  return current;
}
