import { test } from "node:test";
import assert from "node:assert/strict";
import { Vocab, type VocabJSON } from "../../../src/data/text/vocab.js";

test("Vocab orders by count, ties by first appearance, <unk> first", () => {
  // counts: b 3, a 2, c 2, d 1, e 1; a appears before c, d before e.
  const v = new Vocab(["b", "a", "d", "c", "b", "a", "e", "c", "b"]);
  assert.deepEqual(v.idxToToken, ["<unk>", "b", "a", "c", "d", "e"]);
  assert.deepEqual(v.tokenFreqs, [["b", 3], ["a", 2], ["c", 2], ["d", 1], ["e", 1]]);
  assert.equal(v.length, 6);
  assert.equal(v.unk, 0);
});

test("Vocab flattens a list of lines and gives the same table as the flat list", () => {
  const lines = [["x", "y"], [], ["y", "z", "y"]];
  const nested = new Vocab(lines);
  const flat = new Vocab(lines.flat());
  assert.deepEqual(nested.idxToToken, flat.idxToToken);
  assert.deepEqual(nested.idxToToken, ["<unk>", "y", "x", "z"]);
  assert.deepEqual(new Vocab([]).idxToToken, ["<unk>"]);
  assert.deepEqual(new Vocab().idxToToken, ["<unk>"]);
});

test("Vocab maps tokens to indices and back; unknown tokens go to 0", () => {
  const v = new Vocab(["a", "b", "b"]);
  assert.equal(v.indexOf("b"), 1);
  assert.equal(v.indexOf("a"), 2);
  assert.equal(v.indexOf("zzz"), 0);
  assert.deepEqual(v.toIndices(["a", "q", "b"]), Int32Array.from([2, 0, 1]));
  assert.deepEqual(v.toTokens([1, 2, 0]), ["b", "a", "<unk>"]);
  assert.deepEqual(v.toTokens(Int32Array.from([2, 2])), ["a", "a"]);
  assert.throws(() => v.toTokens([3]), /Vocab\.toTokens: indices\[0\] must be an integer in \[0, 3\), got 3/);
  assert.throws(() => v.toTokens([0, -1]), /indices\[1\] must be an integer in \[0, 3\), got -1/);
  assert.throws(() => v.toTokens([1.5]), /got 1\.5/);
});

test("Vocab minFreq drops rare tokens, which then map to <unk>", () => {
  const tokens = ["a", "b", "a", "c", "a", "b"];
  assert.deepEqual(new Vocab(tokens, { minFreq: 2 }).idxToToken, ["<unk>", "a", "b"]);
  assert.deepEqual(new Vocab(tokens, { minFreq: 3 }).idxToToken, ["<unk>", "a"]);
  assert.deepEqual(new Vocab(tokens, { minFreq: 4 }).idxToToken, ["<unk>"]);
  assert.deepEqual(new Vocab(tokens, { minFreq: 0 }).idxToToken, new Vocab(tokens, { minFreq: 1 }).idxToToken);
  assert.equal(new Vocab(tokens, { minFreq: 2 }).indexOf("c"), 0);
  // tokenFreqs still lists every counted token, as d2l's token_freqs does.
  assert.equal(new Vocab(tokens, { minFreq: 3 }).tokenFreqs.length, 3);
});

test("Vocab reservedTokens come right after <unk> and are not repeated when counted", () => {
  const v = new Vocab(["x", "<eos>", "x", "y"], { reservedTokens: ["<pad>", "<bos>", "<eos>"] });
  assert.deepEqual(v.idxToToken, ["<unk>", "<pad>", "<bos>", "<eos>", "x", "y"]);
  assert.equal(v.indexOf("<eos>"), 3);
  // A reserved token survives minFreq; a counted "<unk>" keeps index 0.
  const w = new Vocab(["<unk>", "<unk>", "a"], { reservedTokens: ["<pad>"], minFreq: 5 });
  assert.deepEqual(w.idxToToken, ["<unk>", "<pad>"]);
  assert.deepEqual(new Vocab(["<unk>", "<unk>", "a"]).idxToToken, ["<unk>", "a"]);
});

test("Vocab rejects bad options and bad tokens with the argument named", () => {
  assert.throws(() => new Vocab(["a"], { minFreq: -1 }), /^Error: Vocab: minFreq must be a non-negative integer, got -1$/);
  assert.throws(() => new Vocab(["a"], { minFreq: 1.5 }), /minFreq must be a non-negative integer, got 1\.5/);
  assert.throws(() => new Vocab(["a"], { minFreq: Number.NaN }), /minFreq must be a non-negative integer, got NaN/);
  assert.throws(
    () => new Vocab(["a"], { reservedTokens: ["<pad>", "<pad>"] }),
    /Vocab: reservedTokens must not repeat a token, got "<pad>" twice/,
  );
  assert.throws(() => new Vocab(["a"], { reservedTokens: ["<unk>"] }), /Vocab: reservedTokens must not contain "<unk>"/);
  // @ts-expect-error: checking the runtime guard for untyped callers
  assert.throws(() => new Vocab([["a"], "b"]), /Vocab: tokens is a list of lines, so tokens\[1\] must be an array/);
  // @ts-expect-error: checking the runtime guard for untyped callers
  assert.throws(() => new Vocab(["a", 2]), /Vocab: tokens\[1\] must be a string, got 2/);
});

test("Vocab JSON round trip gives the same table, counts and lookups", () => {
  const v = new Vocab([["the", "time"], ["the", "machine", "x"]], { reservedTokens: ["<pad>"], minFreq: 1 });
  const back = Vocab.fromJSON(JSON.parse(JSON.stringify(v)));
  assert.deepEqual(back.idxToToken, v.idxToToken);
  assert.deepEqual(back.tokenFreqs, v.tokenFreqs);
  assert.deepEqual(back.toJSON(), v.toJSON());
  for (const t of ["the", "time", "machine", "x", "<pad>", "nope"]) assert.equal(back.indexOf(t), v.indexOf(t));
  assert.equal(back.length, v.length);
  assert.deepEqual(v.idxToToken, ["<unk>", "<pad>", "the", "time", "machine", "x"]);
  // The serialised object is a copy: editing it does not change the vocab.
  const json = v.toJSON();
  json.idxToToken.push("extra");
  json.tokenFreqs[0] = ["extra", 99];
  assert.equal(v.length, 6);
  assert.equal(v.indexOf("extra"), 0);
  assert.deepEqual(v.tokenFreqs[0], ["the", 2]);
});

test("Vocab.fromJSON rejects malformed input with the field named", () => {
  const good: VocabJSON = new Vocab(["a", "b", "a"]).toJSON();
  const bad = (patch: Record<string, unknown>): unknown => ({ ...good, ...patch });
  assert.throws(() => Vocab.fromJSON(null), /Vocab\.fromJSON: expected an object, got null/);
  assert.throws(() => Vocab.fromJSON([1]), /expected an object, got an array of length 1/);
  assert.throws(() => Vocab.fromJSON(bad({ version: 2 })), /Vocab\.fromJSON: version must be 1, got 2/);
  assert.throws(() => Vocab.fromJSON(bad({ idxToToken: "a" })), /idxToToken must be an array of strings, got "a"/);
  assert.throws(() => Vocab.fromJSON(bad({ idxToToken: ["a", "<unk>"] })), /idxToToken\[0\] must be "<unk>", got "a"/);
  assert.throws(() => Vocab.fromJSON(bad({ idxToToken: ["<unk>", 1] })), /idxToToken\[1\] must be a string, got 1/);
  assert.throws(
    () => Vocab.fromJSON(bad({ idxToToken: ["<unk>", "a", "a"] })),
    /idxToToken must not repeat a token, got "a" at 1 and 2/,
  );
  assert.throws(() => Vocab.fromJSON(bad({ tokenFreqs: {} })), /tokenFreqs must be an array of \[token, count\] pairs/);
  assert.throws(() => Vocab.fromJSON(bad({ tokenFreqs: [["a"]] })), /tokenFreqs\[0\] must be a \[token, count\] pair/);
  assert.throws(() => Vocab.fromJSON(bad({ tokenFreqs: [[1, 2]] })), /tokenFreqs\[0\]\[0\] must be a string, got 1/);
  assert.throws(() => Vocab.fromJSON(bad({ tokenFreqs: [["a", 0]] })), /tokenFreqs\[0\]\[1\] must be a positive integer count, got 0/);
  assert.throws(
    () => Vocab.fromJSON(bad({ tokenFreqs: [["a", 2], ["a", 1]] })),
    /tokenFreqs must not repeat a token, got "a" twice/,
  );
});
