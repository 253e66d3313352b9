import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeIdx, imageSet, parseIdx, pixelsToFloat, takeImages, readIdxFile } from "recurrent/node";

function header(type: number, dims: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  out[2] = type;
  out[3] = dims.length;
  const v = new DataView(out.buffer);
  dims.forEach((n, d) => v.setUint32(4 + 4 * d, n, false));
  return out;
}

test("parseIdx reads what encodeIdx wrote: dims big-endian, data row-major", () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 7) % 256);
  const bytes = encodeIdx([2, 3, 4], data);
  assert.deepEqual(Array.from(bytes.subarray(0, 16)), [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]);
  const parsed = parseIdx(bytes);
  assert.deepEqual(parsed.dims, [2, 3, 4]);
  assert.deepEqual(Array.from(parsed.data), Array.from(data));
});

test("parseIdx refuses a bad magic, an unsupported type, odd dimension counts and short headers", () => {
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 8])), /too short for an IDX header/);
  assert.throws(() => parseIdx(gzipSync(encodeIdx([1], new Uint8Array([3])))), /not an IDX file.*still gzipped/);
  assert.throws(() => parseIdx(header(0x0d, [1])), /element type 0x0d is not supported/);
  assert.throws(() => parseIdx(header(8, [])), /0 dimensions; expected 1 to 4/);
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1])), /too short for the header of 3 dimensions \(16 bytes\)/);
});

test("parseIdx checks the data length against the dims before reading: short, long and huge claims fail", () => {
  const good = encodeIdx([3, 2], new Uint8Array(6));
  assert.throws(() => parseIdx(good.subarray(0, good.length - 1), "x.idx"), /x\.idx: dims \(3, 2\) need 6 data bytes after a 12-byte header \(18 in all\), but the file has 17 bytes/);
  const long = new Uint8Array(good.length + 1);
  long.set(good);
  assert.throws(() => parseIdx(long), /but the file has 19 bytes/);
  // 2^32-1 cubed: far beyond any buffer; must fail on the length, not on an allocation.
  assert.throws(() => parseIdx(header(8, [0xffffffff, 0xffffffff, 0xffffffff])), /need .* data bytes/);
});

test("encodeIdx checks its dims against the data", () => {
  assert.throws(() => encodeIdx([2, 2], new Uint8Array(3)), /hold 4 values but data has 3/);
  assert.throws(() => encodeIdx([], new Uint8Array(0)), /0 dimensions/);
  assert.throws(() => encodeIdx([1.5], new Uint8Array(1)), /non-negative 32-bit integers/);
});

test("imageSet pairs images with labels and checks them; pixels scale to [0, 1]", () => {
  const images = parseIdx(encodeIdx([2, 1, 2], new Uint8Array([0, 255, 51, 102])));
  const set = imageSet(images, parseIdx(encodeIdx([2], new Uint8Array([9, 1]))), 10);
  assert.equal(set.count, 2);
  assert.deepEqual(Array.from(pixelsToFloat(set)), [0, 1, 0.2, 0.4].map((v) => Math.fround(v)));
  assert.equal(takeImages(set, 1).count, 1);
  assert.deepEqual(Array.from(takeImages(set, 1).labels), [9]);
  assert.throws(() => imageSet(images, parseIdx(encodeIdx([2], new Uint8Array([10, 1]))), 10, "pair"), /pair: label 0 is 10, expected a class in \[0, 9\]/);
  assert.throws(() => imageSet(images, parseIdx(encodeIdx([3], new Uint8Array(3))), 10), /2 images but 3 labels/);
  assert.throws(() => imageSet(parseIdx(encodeIdx([4], new Uint8Array(4))), images, 10), /images must have 3 dims/);
});

test("readIdxFile reads plain and gzipped files alike and bounds the decompressed size", () => {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-idx-"));
  try {
    const bytes = encodeIdx([4, 5], Uint8Array.from({ length: 20 }, (_, i) => i));
    writeFileSync(join(dir, "a"), bytes);
    writeFileSync(join(dir, "a.gz"), gzipSync(bytes));
    assert.deepEqual(readIdxFile(join(dir, "a")), readIdxFile(join(dir, "a.gz")));
    writeFileSync(join(dir, "big.gz"), gzipSync(encodeIdx([1 << 20], new Uint8Array(1 << 20))));
    assert.throws(() => readIdxFile(join(dir, "big.gz"), 4000), /could not be decompressed/);
    writeFileSync(join(dir, "bad.gz"), new Uint8Array([0x1f, 0x8b, 1, 2, 3]));
    assert.throws(() => readIdxFile(join(dir, "bad.gz")), /bad\.gz could not be decompressed/);
    assert.throws(() => readIdxFile(join(dir, "missing")), /missing does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
