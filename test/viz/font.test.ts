import { test } from "node:test";
import assert from "node:assert/strict";
import { ADVANCE, glyph, GLYPH_ROWS, hasGlyph, textWidth } from "../../src/viz/font.js";

const REQUIRED = [...new Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,-+e()/:%_")];

test("the font covers digits, letters, space and the punctuation tick labels and titles need", () => {
  for (const ch of REQUIRED) assert.ok(hasGlyph(ch), JSON.stringify(ch));
});

test("every glyph fits its 5-bit rows and visible glyphs are all different", () => {
  const seen = new Map<string, string>();
  for (const ch of REQUIRED) {
    const rows = glyph(ch);
    assert.equal(rows.length, GLYPH_ROWS);
    for (const r of rows) assert.ok(r < 32, `${ch}: row ${r}`);
    if (ch === " ") {
      assert.ok(rows.every((r) => r === 0));
      continue;
    }
    const key = rows.join(",");
    assert.ok(!seen.has(key), `${ch} looks like ${seen.get(key)}`);
    seen.set(key, ch);
    assert.ok(rows.some((r) => r !== 0), `${ch} is blank`);
  }
});

test("only descender letters and marks use the rows below the baseline", () => {
  for (const ch of REQUIRED) {
    const below = glyph(ch)[7] | glyph(ch)[8];
    assert.equal(below !== 0, "gjpqy,_".includes(ch), ch);
  }
});

test("textWidth: 6 px per character less the trailing gap, scaled; code points, not UTF-16 units", () => {
  assert.equal(textWidth(""), 0);
  assert.equal(textWidth("a"), 5);
  assert.equal(textWidth("abc"), 3 * ADVANCE - 1);
  assert.equal(textWidth("abc", 2), 2 * (3 * ADVANCE - 1));
  assert.equal(textWidth("\u{1f642}"), 5);
});
