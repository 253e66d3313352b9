import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { padOrTrim, preprocessTranslation, tokenizePairs, translationArrays, translationVocabs } from "recurrent";
import { BOS, EOS, PAD } from "../../../src/data/text/translation.js";

const TEXT = readFileSync(new URL("../../../data/fra-eng.txt", import.meta.url), "utf8");

test("preprocessTranslation: no-break spaces, lowercase, a space before , . ! ? that lack one", () => {
  assert.equal(preprocessTranslation("Go.\tVa !"), "go .\tva !");
  assert.equal(preprocessTranslation("Hi, Tom!\tSalut\u202fTom\xa0!"), "hi , tom !\tsalut tom !");
  assert.equal(preprocessTranslation("Wait... Really?"), "wait . . . really ?");
  // A punctuation mark opening the text gets no space (d2l tests i > 0).
  assert.equal(preprocessTranslation("!a"), "!a");
});

test("tokenizePairs on the bundled file: the book's first pairs, <eos> at the end, lines without one tab skipped", () => {
  const pairs = tokenizePairs(preprocessTranslation(TEXT), 3);
  assert.deepEqual(pairs, [
    { source: ["go", ".", EOS], target: ["va", "!", EOS] },
    { source: ["run", "!", EOS], target: ["cours", "!", EOS] },
    { source: ["run", "!", EOS], target: ["courez", "!", EOS] },
  ]);
  assert.equal(tokenizePairs(preprocessTranslation(TEXT)).length, 18065);
  assert.deepEqual(tokenizePairs("a\tb\nno tab here\nc\td\te\nf\tg", 10).map((p) => p.source[0]), ["a", "f"]);
});

test("arrays: decoder input is <bos> + target shifted, labels the target, source lengths count non-<pad> tokens", () => {
  const pairs = tokenizePairs(preprocessTranslation(TEXT), 640);
  const { source, target } = translationVocabs(pairs, 9, 2);
  // Reserved tokens as d2l's lists hold them: <pad> and <eos> in the source, <bos> only in the target.
  assert.deepEqual(source.idxToToken.slice(0, 3), ["<unk>", PAD, EOS]);
  assert.deepEqual(target.idxToToken.slice(0, 4), ["<unk>", PAD, BOS, EOS]);
  const counts = new Map(source.tokenFreqs);
  for (const t of source.idxToToken.slice(3)) assert.ok((counts.get(t) ?? 0) >= 2, `${t} is in the source vocabulary with count ${counts.get(t)}`);
  const a = translationArrays(pairs.slice(0, 2), source, target, 4);
  const ids = (v: typeof source, ts: string[]): number[] => Array.from(v.toIndices(ts));
  assert.deepEqual(Array.from(a.source), [...ids(source, ["go", ".", EOS, PAD]), ...ids(source, ["run", "!", EOS, PAD])]);
  assert.deepEqual(Array.from(a.sourceLengths), [3, 3]);
  assert.deepEqual(Array.from(a.decoderInput.subarray(0, 4)), ids(target, [BOS, "va", "!", EOS]));
  assert.deepEqual(Array.from(a.labels.subarray(0, 4)), ids(target, ["va", "!", EOS, PAD]));
  // Cutting to numSteps drops <eos> from long sentences, as d2l's pad_or_trim does.
  assert.deepEqual(padOrTrim(["a", "b", "c", EOS], 2), ["a", "b"]);
  const cut = translationArrays(pairs.slice(0, 1), source, target, 1);
  assert.deepEqual(Array.from(cut.sourceLengths), [1]);
  assert.throws(() => translationArrays(pairs, source, target, 0), /numSteps must be a positive integer, got 0/);
});
