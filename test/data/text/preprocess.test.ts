import { test } from "node:test";
import assert from "node:assert/strict";
import { preprocessLines, tokenize } from "../../../src/data/text/preprocess.js";

test("preprocessLines keeps letters only, lowercased, one space per run of other characters", () => {
  const text = "The Time Machine, by H. G. Wells [1898]\n\n\n  I\nThe Time Traveller (for so it will be convenient to speak of him)\n";
  assert.deepEqual(preprocessLines(text), [
    "the time machine by h g wells",
    "",
    "",
    "i",
    "the time traveller for so it will be convenient to speak of him",
  ]);
});

test("preprocessLines splits lines as Python's readlines in text mode", () => {
  assert.deepEqual(preprocessLines(""), []);
  assert.deepEqual(preprocessLines("a"), ["a"]);
  assert.deepEqual(preprocessLines("a\n"), ["a"]);
  assert.deepEqual(preprocessLines("a\n\n"), ["a", ""]);
  assert.deepEqual(preprocessLines("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
  assert.deepEqual(preprocessLines("123\n--\nX1y"), ["", "", "x y"]);
  assert.deepEqual(preprocessLines("caf\u00e9 na\u00efve"), ["caf na ve"]);
});

test("tokenize char lists every character of a line, spaces included", () => {
  assert.deepEqual(tokenize(["ab c", "", "d"], "char"), [["a", "b", " ", "c"], [], ["d"]]);
});

test("tokenize word follows Python's str.split(): runs of whitespace, no empty tokens", () => {
  assert.deepEqual(tokenize(["the time  machine", "", "  x ", "a\tb\u001cc"], "word"), [
    ["the", "time", "machine"],
    [],
    ["x"],
    ["a", "b", "c"],
  ]);
  // U+FEFF is whitespace to JS's \s but not to Python's str.split().
  assert.deepEqual(tokenize(["a\ufeffb"], "word"), [["a\ufeffb"]]);
});

test("tokenize rejects an unknown token kind and non-string lines", () => {
  // @ts-expect-error: checking the runtime guard for untyped callers
  assert.throws(() => tokenize(["a"], "byte"), /tokenize: token must be "char" or "word", got "byte"/);
  // @ts-expect-error: checking the runtime guard for untyped callers
  assert.throws(() => tokenize(["a", 3], "char"), /tokenize: lines\[1\] must be a string, got number/);
});
