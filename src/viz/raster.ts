/**
 * A small RGBA canvas for drawing plots without a browser canvas: pixels, rectangles, thick lines
 * and bitmap-font text. Drawing replaces pixels (no alpha blending); everything outside the
 * canvas is clipped.
 *
 * Coordinates are continuous: pixel (i, j) covers [i, i+1) × [j, j+1), so its centre is
 * (i + 0.5, j + 0.5). A shape covers the pixels whose centres it contains.
 */
import { parseHexColor, type Rgba } from "./color.js";
import { ADVANCE, CAP_HEIGHT, characters, glyph, GLYPH_ROWS, GLYPH_WIDTH, textWidth } from "./font.js";
import type { Anchor } from "./frame.js";
import { encodePng } from "./png-encode.js";

export interface TextOptions {
  /** Pixel size of one font dot; default 1 (7 px capitals). */
  scale?: number;
  /** Which end of the text sits at x (at y for vertical text); default "start". */
  anchor?: Anchor;
  /** Rotate -90°, reading bottom to top; default false. */
  vertical?: boolean;
}

/** Indices of the pixels whose centres lie in [c - w/2, c + w/2); at least the pixel holding c. */
function span(c: number, w: number): [number, number] {
  const lo = Math.ceil(c - w / 2 - 0.5);
  const hi = Math.ceil(c + w / 2 - 0.5) - 1;
  if (hi < lo) {
    const p = Math.floor(c);
    return [p, p];
  }
  return [lo, hi];
}

export class Raster {
  readonly width: number;
  readonly height: number;
  /** Row-major RGBA bytes, 4 per pixel. */
  readonly data: Uint8Array;

  /** A canvas filled with `background` ("#rgb"/"#rrggbb" or RGBA); default white. */
  constructor(width: number, height: number, background: Rgba | string = [255, 255, 255, 255]) {
    if (!Number.isInteger(width) || width <= 0) throw new RangeError(`Raster: width must be a positive integer, got ${width}`);
    if (!Number.isInteger(height) || height <= 0) throw new RangeError(`Raster: height must be a positive integer, got ${height}`);
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Sets pixel (floor(x), floor(y)); ignored outside the canvas. */
  setPixel(x: number, y: number, color: Rgba | string): void {
    const c = typeof color === "string" ? parseHexColor(color) : color;
    this.put(Math.floor(x), Math.floor(y), c);
  }

  private put(x: number, y: number, c: Rgba): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    this.data[i] = c[0];
    this.data[i + 1] = c[1];
    this.data[i + 2] = c[2];
    this.data[i + 3] = c[3];
  }

  getPixel(x: number, y: number): Rgba {
    const px = Math.floor(x);
    const py = Math.floor(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) {
      throw new RangeError(`Raster.getPixel: (${x}, ${y}) is outside the ${this.width}x${this.height} canvas`);
    }
    const i = (py * this.width + px) * 4;
    return [this.data[i], this.data[i + 1], this.data[i + 2], this.data[i + 3]];
  }

  /** Fills the pixels from (x, y) to (x + w, y + h), corners rounded to whole pixels. */
  fillRect(x: number, y: number, w: number, h: number, color: Rgba | string): void {
    const c = typeof color === "string" ? parseHexColor(color) : color;
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) {
      for (let px = x0; px < x1; px++) this.put(px, py, c);
    }
  }

  /**
   * A straight line `width` pixels thick. Along the major axis each pixel column (or row) gets the
   * `width` pixels centred on the exact line, so thickness does not depend on the slope's sign.
   */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgba | string, width = 1): void {
    const c = typeof color === "string" ? parseHexColor(color) : color;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const steep = Math.abs(dy) > Math.abs(dx);
    // Walk the major axis from its smaller end; (a, b) are (major, minor) coordinates.
    let [a0, b0, a1, b1] = steep ? [y0, x0, y1, x1] : [x0, y0, x1, y1];
    if (a1 < a0) [a0, b0, a1, b1] = [a1, b1, a0, b0];
    const slope = a1 === a0 ? 0 : (b1 - b0) / (a1 - a0);
    for (let i = Math.floor(a0); i <= Math.floor(a1); i++) {
      const a = Math.min(a1, Math.max(a0, i + 0.5));
      const [lo, hi] = span(b0 + (a - a0) * slope, width);
      for (let j = lo; j <= hi; j++) {
        if (steep) this.put(j, i, c);
        else this.put(i, j, c);
      }
    }
  }

  /** A w×w square centred on (x, y): a round-enough dot, and the join between thick segments. */
  dot(x: number, y: number, color: Rgba | string, width = 1): void {
    const c = typeof color === "string" ? parseHexColor(color) : color;
    const [x0, x1] = span(x, width);
    const [y0, y1] = span(y, width);
    for (let py = y0; py <= y1; py++) {
      for (let px = x0; px <= x1; px++) this.put(px, py, c);
    }
  }

  /** Connected segments through flat [x0, y0, x1, y1, …] points, with filled joins. */
  polyline(points: ArrayLike<number>, color: Rgba | string, width = 1): void {
    const c = typeof color === "string" ? parseHexColor(color) : color;
    for (let i = 0; i + 3 < points.length; i += 2) this.line(points[i], points[i + 1], points[i + 2], points[i + 3], c, width);
    for (let i = 0; i + 1 < points.length; i += 2) this.dot(points[i], points[i + 1], c, width);
  }

  /**
   * Text in the built-in 5x7 font. (x, y) is the anchor point at the vertical middle of the
   * capitals (for vertical text: at the horizontal middle, and the anchor runs along y).
   */
  text(x: number, y: number, text: string, color: Rgba | string, opts: TextOptions = {}): void {
    const c = typeof color === "string" ? parseHexColor(color) : color;
    const scale = Math.max(1, Math.round(opts.scale ?? 1));
    const anchor = opts.anchor ?? "start";
    const length = textWidth(text, scale);
    const shift = anchor === "start" ? 0 : anchor === "middle" ? length / 2 : length;
    // Cap box top (for vertical text: its left edge), and where the text begins along its direction.
    const across = Math.round((opts.vertical ? x : y) - (CAP_HEIGHT * scale) / 2);
    const along = opts.vertical ? Math.round(y + shift) : Math.round(x - shift);
    let pen = 0;
    for (const ch of characters(text)) {
      const rows = glyph(ch);
      for (let r = 0; r < GLYPH_ROWS; r++) {
        const bits = rows[r];
        if (bits === 0) continue;
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          if (((bits >> (GLYPH_WIDTH - 1 - col)) & 1) === 0) continue;
          const u = pen + col * scale;
          const v = across + r * scale;
          for (let sy = 0; sy < scale; sy++) {
            for (let sx = 0; sx < scale; sx++) {
              if (opts.vertical) this.put(v + sy, along - 1 - (u + sx), c);
              else this.put(along + u + sx, v + sy, c);
            }
          }
        }
      }
      pen += ADVANCE * scale;
    }
  }

  /** The canvas as a PNG file. */
  toPng(): Uint8Array {
    return encodePng(this.width, this.height, this.data);
  }
}
