import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadCorpus } from "../../../src/data/text/corpus.js";
import { Vocab } from "../../../src/data/text/vocab.js";

const timeMachine = readFileSync(new URL("../../../data/timemachine.txt", import.meta.url), "utf8");

/**
 * Counts tokens of the d2l preprocessing written a second, independent way (character loops
 * instead of regular expressions) and orders them by count, ties by first appearance.
 */
function independentCounts(text: string, kind: "char" | "word"): { order: string[]; total: number } {
  const counts = new Map<string, { n: number; first: number }>();
  let total = 0;
  const add = (t: string): void => {
    const c = counts.get(t);
    if (c === undefined) counts.set(t, { n: 1, first: total });
    else c.n++;
    total++;
  };
  for (const raw of text.split("\n")) {
    let line = "";
    let gap = false;
    for (const ch of raw) {
      const lower = ch >= "A" && ch <= "Z" ? String.fromCharCode(ch.charCodeAt(0) + 32) : ch;
      if (lower >= "a" && lower <= "z") {
        if (gap && line.length > 0) line += " ";
        line += lower;
        gap = false;
      } else {
        gap = true;
      }
    }
    if (kind === "char") for (const ch of line) add(ch);
    else for (const w of line.split(" ")) if (w !== "") add(w);
  }
  const order = [...counts.entries()].sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first).map(([t]) => t);
  return { order, total };
}

test("data/timemachine.txt is the file described in SOURCES.md", () => {
  const bytes = readFileSync(new URL("../../../data/timemachine.txt", import.meta.url));
  assert.equal(bytes.length, 178979);
  assert.equal(
    createHash("sha256").update(bytes).digest("hex"),
    "8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516",
  );
});

test("loadCorpus on The Time Machine gives d2l's published numbers: 170580 chars, 28 entries", () => {
  const { corpus, vocab } = loadCorpus(timeMachine);
  assert.equal(corpus.length, 170580);
  assert.equal(vocab.length, 28);
  assert.deepEqual([...vocab.idxToToken].sort(), ["<unk>", " ", ..."abcdefghijklmnopqrstuvwxyz"].sort());
  const expected = independentCounts(timeMachine, "char");
  assert.equal(expected.total, 170580);
  assert.deepEqual(vocab.idxToToken, ["<unk>", ...expected.order]);
  // The first entries that the d2l book prints.
  assert.deepEqual(vocab.idxToToken.slice(0, 10), ["<unk>", " ", "e", "t", "a", "i", "n", "o", "s", "h"]);
  // No token is unknown when the vocab was built from the same text.
  assert.equal(corpus.indexOf(0), -1);
  assert.equal(vocab.toTokens(corpus.subarray(0, 16)).join(""), "the time machine");
});

test("loadCorpus word tokens: vocab ordered by count, corpus decodes to the words", () => {
  const { corpus, vocab } = loadCorpus(timeMachine, { token: "word" });
  const expected = independentCounts(timeMachine, "word");
  assert.equal(corpus.length, expected.total);
  assert.deepEqual(vocab.idxToToken, ["<unk>", ...expected.order]);
  assert.deepEqual(vocab.idxToToken.slice(0, 5), ["<unk>", "the", "i", "and", "of"]);
  assert.deepEqual(vocab.toTokens(corpus.subarray(0, 7)), ["the", "time", "machine", "by", "h", "g", "wells"]);
});

test("loadCorpus maxTokens truncates the corpus but not the vocab", () => {
  const all = loadCorpus(timeMachine);
  const some = loadCorpus(timeMachine, { maxTokens: 1000 });
  assert.equal(some.corpus.length, 1000);
  assert.deepEqual(some.corpus, all.corpus.subarray(0, 1000));
  assert.deepEqual(some.vocab.idxToToken, all.vocab.idxToToken);
  assert.equal(loadCorpus("ab", { maxTokens: 10 }).corpus.length, 2);
  assert.equal(loadCorpus("ab", { maxTokens: 0 }).corpus.length, 2);
  assert.equal(loadCorpus("ab", { maxTokens: -1 }).corpus.length, 2);
});

test("loadCorpus concatenates lines with nothing between them, as d2l", () => {
  const { corpus, vocab } = loadCorpus("Ab, c!\n\n12\nd\n");
  assert.equal(vocab.toTokens(corpus).join(""), "ab cd");
});

test("loadCorpus with a given vocab maps unseen tokens to <unk>", () => {
  const vocab = new Vocab(["a", "b", "b"]);
  const { corpus, vocab: used } = loadCorpus("a b c", { vocab });
  assert.equal(used, vocab);
  assert.deepEqual(corpus, Int32Array.from([2, 0, 1, 0, 0]));
});

test("loadCorpus rejects texts with no letters and bad options, naming loadCorpus", () => {
  assert.throws(() => loadCorpus(""), /^Error: loadCorpus: text must contain at least one letter .*got an empty text$/);
  assert.throws(() => loadCorpus("123 !?\n"), /loadCorpus: text must contain at least one letter .*got 7 characters and no letter/);
  assert.throws(() => loadCorpus("abc", { maxTokens: 1.5 }), /loadCorpus: maxTokens must be an integer, got 1\.5/);
  // @ts-expect-error: checking the runtime guard for untyped callers
  assert.throws(() => loadCorpus("abc", { token: "bpe" }), /loadCorpus: token must be "char" or "word", got "bpe"/);
});
