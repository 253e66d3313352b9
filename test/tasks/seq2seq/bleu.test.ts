import { test } from "node:test";
import assert from "node:assert/strict";
import { bleu, corpusBleu } from "recurrent";

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test("bleu: the book's worked example, p1..p4 = 4/5, 3/4, 1/3, 0 with the brevity penalty of a 5-token prediction against 6", () => {
  const label = "A B C D E F";
  const pred = "A B B C D";
  const bp = Math.exp(1 - 6 / 5);
  close(bleu(pred, label, 1), bp * Math.pow(4 / 5, 1 / 2), "k=1");
  close(bleu(pred, label, 2), bp * Math.pow(4 / 5, 1 / 2) * Math.pow(3 / 4, 1 / 4), "k=2");
  close(bleu(pred, label, 3), bp * Math.pow(4 / 5, 1 / 2) * Math.pow(3 / 4, 1 / 4) * Math.pow(1 / 3, 1 / 8), "k=3");
  assert.equal(bleu(pred, label, 4), 0);
  // The book's short prediction: p1 = p2 = 1 but the penalty exp(1 - 6/2).
  close(bleu("A B", label, 2), Math.exp(-2), "short");
});

test("bleu: a copy scores 1, matches are clipped, n stops at the prediction's length", () => {
  assert.equal(bleu("je suis chez moi .", "je suis chez moi .", 4), 1);
  close(bleu(["the", "the", "the"], ["the", "cat"], 1), Math.pow(1 / 3, 1 / 2), "clipped");
  // k = 4 but a 2-token prediction has no 3-grams: only p1 and p2 count (d2l's min(k, len_pred)).
  close(bleu("a b", "a b", 4), 1, "short k");
  // The book's printed cases: "il court ." against "il est calme ." has no matching bigram.
  assert.equal(bleu("il court .", "il est calme .", 2), 0);
  close(bleu("je suis certain .", "je suis chez moi .", 2), Math.exp(1 - 5 / 4) * Math.pow(3 / 4, 1 / 2) * Math.pow(1 / 3, 1 / 4), "certain");
  assert.equal(bleu([], "a", 2), 0);
  assert.throws(() => bleu("a", "a", 0), /bleu: k must be a positive integer, got 0/);
});

test("corpusBleu: counts summed over the corpus, uniform weights, penalty on the total length", () => {
  const preds = [["a", "b", "c", "d"], ["e", "f", "g", "h", "x"]];
  const refs = [["a", "b", "c", "d"], ["e", "f", "g", "h", "i", "j"]];
  const r = corpusBleu(preds, refs);
  // 1-grams 8/9, 2-grams 6/7, 3-grams 4/5, 4-grams 2/3; lengths c = 9, r = 10.
  assert.deepEqual(r.precisions, [8 / 9, 6 / 7, 4 / 5, 2 / 3]);
  close(r.brevityPenalty, Math.exp(1 - 10 / 9), "bp");
  close(r.bleu, Math.exp(1 - 10 / 9) * Math.pow((8 / 9) * (6 / 7) * (4 / 5) * (2 / 3), 1 / 4), "bleu");
  assert.equal(corpusBleu(refs, refs).bleu, 1);
  assert.equal(corpusBleu([["a", "b"]], [["a", "b"]]).bleu, 0, "no 3-grams at all: p3 = 0");
  assert.throws(() => corpusBleu(preds, refs.slice(1)), /2 predictions but 1 references/);
});
