/**
 * Colours as "#rgb" / "#rrggbb" strings at the API (what SVG takes as is) and as RGBA byte tuples
 * inside the rasteriser. Only hex is accepted so that SVG and PNG always draw the same colour.
 */

/** Red, green, blue, alpha, each 0..255. */
export type Rgba = readonly [number, number, number, number];

/** Series colours used in order when a series gives none (the Tableau 10 palette). */
export const PALETTE: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/** The neutral colours every plot uses. */
export const THEME = {
  background: "#ffffff",
  axis: "#333333",
  grid: "#e6e6e6",
  text: "#222222",
  legendBorder: "#bbbbbb",
  /** Heatmap cells whose value is NaN or infinite: a grey that no viridis shade comes near. */
  missing: "#bdbdbd",
} as const;

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export function isHexColor(s: string): boolean {
  return HEX.test(s);
}

/** "#rgb" or "#rrggbb" to an opaque RGBA tuple; throws for anything else. */
export function parseHexColor(s: string): Rgba {
  if (!HEX.test(s)) throw new TypeError(`parseHexColor: expected "#rgb" or "#rrggbb", got ${JSON.stringify(s)}`);
  const h = s.length === 4 ? s.slice(1).replace(/./g, (c) => c + c) : s.slice(1);
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 255];
}

/** An RGBA tuple as "#rrggbb" (alpha dropped). */
export function toHexColor(c: Rgba): string {
  return "#" + [c[0], c[1], c[2]].map((v) => v.toString(16).padStart(2, "0")).join("");
}
