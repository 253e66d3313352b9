import { test } from "node:test";
import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import { crc32 } from "../../src/viz/crc32.js";
import { Generator } from "../../src/tensor/random.js";

function bitwiseCrc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

test("crc32 matches a bitwise CRC-32 and node:zlib's crc32 where Node has it", () => {
  const g = new Generator(9);
  const zlibCrc = "crc32" in zlib && typeof zlib.crc32 === "function" ? zlib.crc32 : undefined;
  for (const n of [0, 1, 3, 64, 1000]) {
    const data = Uint8Array.from({ length: n }, () => g.randint(0, 256));
    assert.equal(crc32(data), bitwiseCrc(data), `n=${n}`);
    if (zlibCrc) assert.equal(crc32(data), zlibCrc(data), `n=${n} vs node:zlib`);
  }
});

test("crc32 of a range, and continued over two parts, equals the CRC of the whole", () => {
  const data = new TextEncoder().encode("IHDR and friends");
  assert.equal(crc32(data, 4, 10), bitwiseCrc(data.subarray(4, 10)));
  assert.equal(crc32(data, 7, data.length, crc32(data, 0, 7)), crc32(data));
});
