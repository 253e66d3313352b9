// WOFF -> sfnt: the bundled font's tables come back uncompressed, with a valid table directory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { woffToSfnt } from "../../src/viz/woff.js";

const require = createRequire(import.meta.url);
const WOFF = join(dirname(require.resolve("@fontsource/dejavu-sans")), "files", "dejavu-sans-latin-400-normal.woff");

/** The OpenType table checksum: the sum of big-endian uint32 words, zero-padded. */
function tableChecksum(bytes: Uint8Array): number {
  let sum = 0;
  const padded = new Uint8Array((bytes.length + 3) & ~3);
  padded.set(bytes);
  const v = new DataView(padded.buffer);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + v.getUint32(i)) >>> 0;
  return sum;
}

test("woffToSfnt: a TrueType font whose tables match their checksums", () => {
  const woff = new Uint8Array(readFileSync(WOFF));
  const wv = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  const sfnt = woffToSfnt(woff);
  const v = new DataView(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength);
  assert.equal(v.getUint32(0), 0x00010000, "TrueType flavour");
  const n = v.getUint16(4);
  assert.equal(n, wv.getUint16(12));
  assert.equal(sfnt.length, wv.getUint32(16), "totalSfntSize from the WOFF header");
  const tags: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(...sfnt.subarray(at, at + 4));
    tags.push(tag);
    const offset = v.getUint32(at + 8);
    const length = v.getUint32(at + 12);
    assert.equal(offset % 4, 0, `${tag} aligned`);
    // head's checksum is computed with its checkSumAdjustment field as zero.
    if (tag !== "head") assert.equal(tableChecksum(sfnt.subarray(offset, offset + length)), v.getUint32(at + 4), `${tag} checksum`);
  }
  for (const t of ["cmap", "glyf", "head", "hmtx", "loca", "name"]) assert.ok(tags.includes(t), `has ${t}`);
});

test("woffToSfnt: malformed input is refused with a message", () => {
  const woff = new Uint8Array(readFileSync(WOFF));
  assert.throws(() => woffToSfnt(new Uint8Array(10)), /woffToSfnt: file is 10 bytes, shorter than the 44-byte header/);
  assert.throws(() => woffToSfnt(new Uint8Array(100)), /woffToSfnt: not a WOFF 1.0 file/);
  assert.throws(() => woffToSfnt(woff.subarray(0, 200)), /woffToSfnt: (table directory runs past the end|table \d+ runs past the end)/);
});
