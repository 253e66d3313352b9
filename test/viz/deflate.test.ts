import { test } from "node:test";
import assert from "node:assert/strict";
import { inflateRawSync, inflateSync } from "node:zlib";
import { adler32, deflateFixed, deflateStored, zlibCompress } from "../../src/viz/deflate.js";
import { Generator } from "../../src/tensor/random.js";

function samples(): [string, Uint8Array][] {
  const g = new Generator(5);
  const text = new TextEncoder().encode("The Time Traveller (for so it will be convenient to speak of him) ".repeat(40));
  const runs = new Uint8Array(100_000);
  for (let i = 0; i < runs.length; i++) runs[i] = (i >> 9) % 3 === 0 ? 255 : i % 7;
  return [
    ["empty", new Uint8Array(0)],
    ["one byte", Uint8Array.of(42)],
    ["two bytes", Uint8Array.of(1, 2)],
    ["all literals >= 144", Uint8Array.from({ length: 300 }, (_, i) => 144 + (i % 112))],
    ["one long run", new Uint8Array(70_000).fill(255)],
    ["text", text],
    ["runs over more than the 32 KiB window", runs],
    ["noise", Uint8Array.from({ length: 5000 }, () => g.randint(0, 256))],
    ["every match length", Uint8Array.from({ length: 20_000 }, (_, i) => (i * i) % 251 < 200 ? 9 : i & 255)],
  ];
}

test("zlibCompress output inflates back to the input with node:zlib", () => {
  for (const [name, data] of samples()) {
    const z = zlibCompress(data);
    assert.equal(z[0], 0x78, name);
    assert.equal((z[0] * 256 + z[1]) % 31, 0, `${name}: header check bits`);
    assert.deepEqual(new Uint8Array(inflateSync(z)), data, name);
  }
});

test("deflateFixed and deflateStored are each valid raw DEFLATE", () => {
  for (const [name, data] of samples()) {
    assert.deepEqual(new Uint8Array(inflateRawSync(deflateFixed(data))), data, `fixed: ${name}`);
    assert.deepEqual(new Uint8Array(inflateRawSync(deflateStored(data))), data, `stored: ${name}`);
  }
});

test("deflateFixed compresses runs of background pixels well", () => {
  const white = new Uint8Array(640 * 400 * 4).fill(255);
  // Each 258-byte match costs 13 bits (8-bit length code, 5-bit distance code): about 6.3 KB per MB.
  const n = deflateFixed(white).length;
  assert.ok(n <= Math.ceil((white.length / 258) * 13 / 8) + 8, `${n} bytes for 1 MB of white`);
});

test("zlibCompress falls back to stored blocks for incompressible data", () => {
  const g = new Generator(6);
  const noise = Uint8Array.from({ length: 200_000 }, () => g.randint(0, 256));
  const z = zlibCompress(noise);
  assert.ok(z.length <= noise.length + 6 + 5 * Math.ceil(noise.length / 65535) + 5, `${z.length} bytes`);
  assert.deepEqual(new Uint8Array(inflateSync(z)), noise);
});

test("adler32: the RFC 1950 definition, computed directly for small inputs", () => {
  const g = new Generator(8);
  for (const n of [0, 1, 100, 6000, 70_000]) {
    const data = Uint8Array.from({ length: n }, () => g.randint(0, 256));
    let a = 1;
    let b = 0;
    for (const v of data) {
      a = (a + v) % 65521;
      b = (b + a) % 65521;
    }
    assert.equal(adler32(data), ((b << 16) | a) >>> 0, `n=${n}`);
  }
  // Maximal bytes stress the deferred modulo.
  const ff = new Uint8Array(100_000).fill(255);
  let a = 1;
  let b = 0;
  for (const v of ff) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  assert.equal(adler32(ff), ((b << 16) | a) >>> 0);
});
