// The pure-TypeScript SHA-256 must agree with Node's own (OpenSSL) on every padding case and on large inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256, sha256Hex } from "../../src/io/sha256.js";
import { Generator } from "../../src/tensor/random.js";

function bytes(n: number, seed: number): Uint8Array {
  const g = new Generator(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(g.uniform() * 256));
}

const native = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

test("sha256Hex matches node:crypto for every length 0..200 (all padding cases)", () => {
  for (let n = 0; n <= 200; n++) {
    const b = bytes(n, n);
    assert.equal(sha256Hex(b), native(b), `length ${n}`);
  }
});

test("sha256Hex matches node:crypto on a megabyte, and sha256 returns the same digest as bytes", () => {
  const b = bytes(1 << 20, 7);
  assert.equal(sha256Hex(b), native(b));
  assert.deepEqual(Buffer.from(sha256(b)), createHash("sha256").update(b).digest());
});

test("sha256 reads only its view of a shared buffer", () => {
  const all = bytes(300, 3);
  const view = all.subarray(17, 17 + 130);
  assert.equal(sha256Hex(view), native(Buffer.from(view)));
});
