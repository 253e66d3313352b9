/**
 * SVG pieces shared by every chart: escaping, number formatting, the document wrapper and the
 * frame (background, grid, axes, ticks, texts) of a layout computed in frame.ts.
 */
import { THEME } from "./color.js";
import { CAP_HEIGHT } from "./font.js";
import { gridColumns, gridRows, TICK_LENGTH, type Frame, type TextItem } from "./frame.js";

/** The generic family keeps the file free of font dependencies; sizes match the bitmap font's cap height. */
const FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif";
/** Cap height is about 0.72 em in common sans-serif faces, so 7 px caps need a 10 px font. */
const EM_PER_CAP = 10 / 7;

/**
 * Text for XML content and attribute values. Characters XML 1.0 forbids (most C0 controls, lone
 * surrogates, U+FFFE/U+FFFF) become U+FFFD so the document always parses.
 */
export function escapeXml(s: string): string {
  return s
    .replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"))
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** Coordinates to two decimals, without trailing zeros: enough for any screen, short files. */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

export function svgOpen(width: number, height: number, title: string | undefined): string {
  const head = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
  ];
  if (title) head.push(`<title>${escapeXml(title)}</title>`);
  head.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${THEME.background}"/>`);
  return head.join("\n");
}

export const SVG_CLOSE = "</svg>\n";

export function textSvg(t: TextItem, color: string = THEME.text): string {
  const size = num(CAP_HEIGHT * t.scale * EM_PER_CAP);
  const anchor = t.anchor === "start" ? "" : ` text-anchor="${t.anchor}"`;
  const body = escapeXml(t.text);
  // The layout gives the middle of the cap box; SVG wants the baseline, half a cap height lower.
  const half = (CAP_HEIGHT * t.scale) / 2;
  if (t.vertical) {
    return `<text x="${num(t.x)}" y="${num(t.y + half)}" transform="rotate(-90 ${num(t.x)} ${num(t.y)})" font-size="${size}"${anchor} fill="${color}">${body}</text>`;
  }
  return `<text x="${num(t.x)}" y="${num(t.y + half)}" font-size="${size}"${anchor} fill="${color}">${body}</text>`;
}

/** Grid lines, drawn under the data: one per tick that is not on an axis. */
export function gridSvg(frame: Frame): string {
  if (!frame.grid) return "";
  const { plot } = frame;
  const d: string[] = [];
  // Lines run through pixel centres (+0.5) so a 1 px stroke fills whole pixels instead of smearing.
  for (const x of gridColumns(frame)) d.push(`M${x + 0.5} ${plot.top}V${plot.bottom}`);
  for (const y of gridRows(frame)) d.push(`M${plot.left + 1} ${y + 0.5}H${plot.right + 1}`);
  return d.length === 0 ? "" : `<path class="grid" d="${d.join("")}" stroke="${THEME.grid}" stroke-width="1" fill="none"/>`;
}

/** Axes on the plot rectangle's left column and bottom row, tick marks outside them, and all frame texts. */
export function axesSvg(frame: Frame): string {
  const { plot } = frame;
  const out: string[] = [];
  const d = [`M${plot.left + 0.5} ${plot.top}V${plot.bottom + 0.5}H${plot.right + 1}`];
  for (const t of frame.xTicks) d.push(`M${Math.floor(t.pos) + 0.5} ${plot.bottom + 1}v${TICK_LENGTH}`);
  for (const t of frame.yTicks) d.push(`M${plot.left} ${Math.floor(t.pos) + 0.5}h${-TICK_LENGTH}`);
  out.push(`<path class="axes" d="${d.join("")}" stroke="${THEME.axis}" stroke-width="1" fill="none"/>`);
  out.push(`<g class="labels">`);
  for (const t of frame.texts) out.push(textSvg(t));
  out.push(`</g>`);
  return out.join("\n");
}
