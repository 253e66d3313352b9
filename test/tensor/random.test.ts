import { test } from "node:test";
import assert from "node:assert/strict";
import { Generator, manualSeed, randn, globalGenerator, type GeneratorState } from "recurrent";

test("same seed, same stream; different seed, different stream", () => {
  const a = new Generator(5);
  const b = new Generator(5);
  const c = new Generator(6);
  const xs = Array.from({ length: 20 }, () => a.nextUint32());
  assert.deepEqual(xs, Array.from({ length: 20 }, () => b.nextUint32()));
  assert.notDeepEqual(xs, Array.from({ length: 20 }, () => c.nextUint32()));
});

test("state round trip continues the stream exactly, including a pending normal deviate", () => {
  const g = new Generator(9);
  g.normal(); // leaves the Box-Muller spare pending
  const saved = JSON.parse(JSON.stringify(g.getState()));
  const expected = Array.from({ length: 7 }, () => g.normal());
  const h = new Generator(0);
  h.setState(saved);
  assert.deepEqual(Array.from({ length: 7 }, () => h.normal()), expected);
});

test("uniform is in [0, 1) with mean near 1/2; normal has mean 0 and variance 1", () => {
  const g = new Generator(1);
  let s = 0;
  let mn = 1;
  let mx = 0;
  for (let i = 0; i < 20000; i++) {
    const u = g.uniform();
    s += u;
    mn = Math.min(mn, u);
    mx = Math.max(mx, u);
  }
  assert.ok(mn >= 0 && mx < 1);
  assert.ok(Math.abs(s / 20000 - 0.5) < 0.01);
  let m = 0;
  let v = 0;
  const n = 20000;
  const zs = Array.from({ length: n }, () => g.normal());
  for (const z of zs) m += z / n;
  for (const z of zs) v += (z - m) ** 2 / n;
  assert.ok(Math.abs(m) < 0.03 && Math.abs(v - 1) < 0.05, `mean ${m}, variance ${v}`);
});

test("manualSeed resets the global generator", () => {
  manualSeed(11);
  const a = randn([5]).toArray();
  manualSeed(11);
  assert.deepEqual(randn([5]).toArray(), a);
  assert.throws(() => globalGenerator.seed(NaN), /Generator\.seed: seed must be a finite number, got NaN/);
  assert.throws(() => manualSeed(Infinity), /manualSeed: seed must be a finite number, got Infinity/);
  assert.throws(() => new Generator(0).randint(3, 3), /randint: expected high > low, got low=3, high=3/);
});

test("randint covers its whole range: randint(0, 2^32) draws odd values and values below 256", () => {
  const g = new Generator(3);
  let odd = 0;
  let low = 0;
  let max = 0;
  for (let i = 0; i < 4096; i++) {
    const x = g.randint(0, 2 ** 32);
    assert.ok(Number.isInteger(x) && x >= 0 && x < 2 ** 32);
    if (x % 256 !== 0) odd++;
    if (x < 2 ** 24) low++;
    max = Math.max(max, x);
  }
  // Before, 24 random bits scaled to 2^32 gave multiples of 256 only.
  assert.ok(odd > 4000, `${odd} of 4096 draws are not multiples of 256`);
  assert.ok(low > 0 && max > 2 ** 32 - 2 ** 26, `low ${low}, max ${max}`);
  const big = g.randint(-(2 ** 52), 2 ** 52);
  assert.ok(Number.isSafeInteger(big) && big >= -(2 ** 52) && big < 2 ** 52);
  // Small spans keep the stream that seeded runs were made with.
  const a = new Generator(11);
  const b = new Generator(11);
  assert.equal(a.randint(0, 35), Math.floor(b.uniform() * 35));
});

test("randint checks its bounds", () => {
  const g = new Generator(0);
  assert.throws(() => g.randint(0, 0), /^RangeError: randint: expected high > low, got low=0, high=0$/);
  assert.throws(() => g.randint(0, 1.5), /^TypeError: randint: low and high must be safe integers, got low=0, high=1.5$/);
  assert.throws(() => g.randint(0, NaN), /randint: low and high must be safe integers/);
  assert.throws(() => g.randint(-(2 ** 53 - 1), 2 ** 53 - 1), /randint: high - low must be at most 2\^53/);
});

test("Generator.setState refuses the all-zero state and malformed states", () => {
  const g = new Generator(0);
  assert.throws(() => g.setState({ words: [0, 0, 0, 0], spare: null }), /Generator\.setState: words are all zero, a state the generator never leaves/);
  assert.throws(() => g.setState({ words: [1, 2, 3], spare: null } as unknown as GeneratorState), /Generator\.setState: words must be four integers in \[0, 2\^32\), got \[1, 2, 3\]/);
  assert.throws(() => g.setState({ words: [1, 2, 3, 2 ** 32], spare: null }), /words must be four integers/);
  assert.throws(() => g.setState({ words: [1, 2, 3, -1], spare: null }), /words must be four integers/);
  assert.throws(() => g.setState({ words: [1, 2, 3, 4], spare: NaN }), /Generator\.setState: spare must be null or a finite number, got NaN/);
  assert.throws(() => g.setState(null as unknown as GeneratorState), /Generator\.setState: state must be \{ words, spare \}, got null/);
  const before = g.getState();
  assert.throws(() => g.setState({ words: [0, 0, 0, 0], spare: null }));
  assert.deepEqual(g.getState(), before, "a refused state leaves the generator as it was");
  assert.throws(() => new Generator("7" as unknown as number), /^TypeError: Generator: seed must be a finite number, got "7"$/);
});
