/**
 * PNG encoding of an 8-bit RGBA image: signature, IHDR, one IDAT holding a zlib stream, IEND,
 * each chunk with its CRC-32. Every row gets the filter (None, Sub, Up, Average, Paeth) with the
 * smallest sum of absolute signed bytes, the heuristic the PNG specification recommends.
 */
import { crc32 } from "./crc32.js";
import { zlibSync } from "fflate";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const BPP = 4;

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Writes row `y` filtered with `type` into out[1..], the filter byte into out[0]; returns the heuristic cost. */
function filterRow(rgba: Uint8Array, rowBytes: number, y: number, type: number, out: Uint8Array): number {
  const cur = y * rowBytes;
  const up = cur - rowBytes;
  out[0] = type;
  let cost = 0;
  for (let i = 0; i < rowBytes; i++) {
    const x = rgba[cur + i];
    const a = i >= BPP ? rgba[cur + i - BPP] : 0;
    const b = y > 0 ? rgba[up + i] : 0;
    const c = i >= BPP && y > 0 ? rgba[up + i - BPP] : 0;
    const pred = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >>> 1 : paeth(a, b, c);
    const v = (x - pred) & 0xff;
    out[i + 1] = v;
    cost += v < 128 ? v : 256 - v;
  }
  return cost;
}

function filterImage(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const rowBytes = width * BPP;
  const out = new Uint8Array(height * (rowBytes + 1));
  const trial = new Uint8Array(rowBytes + 1);
  for (let y = 0; y < height; y++) {
    let bestCost = Infinity;
    const dst = out.subarray(y * (rowBytes + 1), (y + 1) * (rowBytes + 1));
    for (let type = 0; type <= 4; type++) {
      const cost = filterRow(rgba, rowBytes, y, type, trial);
      if (cost < bestCost) {
        bestCost = cost;
        dst.set(trial);
      }
    }
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  // The CRC covers the type and the data, not the length.
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** A PNG file (8-bit RGBA, non-interlaced) of `rgba`: row-major, 4 bytes per pixel, as canvas ImageData holds it. */
export function encodePng(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  for (const [name, v] of [["width", width], ["height", height]] as const) {
    if (!Number.isInteger(v) || v <= 0 || v > 0x7fffffff) {
      throw new RangeError(`encodePng: ${name} must be a positive integer, got ${v}`);
    }
  }
  if (!(rgba instanceof Uint8Array) && !(rgba instanceof Uint8ClampedArray)) {
    throw new TypeError(`encodePng: rgba must be a Uint8Array`);
  }
  if (rgba.length !== width * height * BPP) {
    throw new RangeError(`encodePng: rgba must hold width*height*4 = ${width * height * BPP} bytes for ${width}x${height}, got ${rgba.length}`);
  }
  const bytes = rgba instanceof Uint8Array ? rgba : new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  // ihdr[10..12] = 0: deflate compression, adaptive filtering, no interlace.
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk("IHDR", ihdr),
    // fflate: LZ77 with dynamic Huffman codes, level 9 (plots are small; the smallest file wins).
    chunk("IDAT", zlibSync(filterImage(width, height, bytes), { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
