/**
 * A viridis-like colour ramp: matplotlib's viridis sampled at nine evenly spaced points and
 * interpolated linearly in sRGB between them. Linear sRGB interpolation is also what an SVG
 * linearGradient does, so the SVG colour bar built from these stops matches the cells exactly.
 */
import { parseHexColor, type Rgba } from "./color.js";

/** Stops at t = 0, 1/8, …, 1. */
export const VIRIDIS_STOPS: readonly string[] = [
  "#440154",
  "#472c7a",
  "#3b518b",
  "#2c718e",
  "#21908d",
  "#27ad81",
  "#5cc863",
  "#aadc32",
  "#fde725",
];

const STOPS: readonly Rgba[] = VIRIDIS_STOPS.map(parseHexColor);

/** The ramp at t in [0, 1] (clamped, NaN as 0); dark purple at 0, yellow at 1. */
export function viridis(t: number): Rgba {
  const u = (Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t))) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
    255,
  ];
}
