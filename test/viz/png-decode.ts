// PNG decoding for tests, written independently of the encoder under test: chunk walk with
// CRC checks, node:zlib inflate, and the five row filters.
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";

/** Bitwise CRC-32, written independently of the table-driven one under test. */
function referenceCrc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

export interface Chunk {
  type: string;
  data: Uint8Array;
}

/** Splits a PNG into chunks, asserting the signature, every CRC and the chunk order. */
export function chunks(png: Uint8Array): Chunk[] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const crc = view.getUint32(at + 8 + len);
    assert.equal(crc, referenceCrc(png.subarray(at + 4, at + 8 + len)), `CRC of ${type}`);
    out.push({ type, data: png.subarray(at + 8, at + 8 + len) });
    at += 12 + len;
  }
  assert.equal(out[0].type, "IHDR");
  assert.equal(out[out.length - 1].type, "IEND");
  assert.equal(out[out.length - 1].data.length, 0);
  return out;
}

/** Decodes an 8-bit RGBA, non-interlaced PNG with node:zlib and the five PNG filters. */
export function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const cs = chunks(png);
  const ihdr = new DataView(cs[0].data.buffer, cs[0].data.byteOffset, 13);
  const width = ihdr.getUint32(0);
  const height = ihdr.getUint32(4);
  assert.deepEqual([...cs[0].data.subarray(8)], [8, 6, 0, 0, 0], "8-bit RGBA, deflate, adaptive filtering, no interlace");
  const idat = Buffer.concat(cs.filter((c) => c.type === "IDAT").map((c) => c.data));
  const raw = inflateSync(idat); // also checks the zlib header and Adler-32
  const stride = width * 4;
  assert.equal(raw.length, height * (stride + 1));
  const rgba = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= 4 ? rgba[y * stride + i - 4] : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + i] : 0;
      const c = i >= 4 && y > 0 ? rgba[(y - 1) * stride + i - 4] : 0;
      let pred: number;
      if (type === 0) pred = 0;
      else if (type === 1) pred = a;
      else if (type === 2) pred = b;
      else if (type === 3) pred = (a + b) >> 1;
      else if (type === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`bad filter type ${type} on row ${y}`);
      rgba[y * stride + i] = (x + pred) & 0xff;
    }
  }
  return { width, height, rgba };
}

export function pixel(img: { width: number; rgba: Uint8Array }, x: number, y: number): number[] {
  const i = (y * img.width + x) * 4;
  return [...img.rgba.subarray(i, i + 4)];
}

