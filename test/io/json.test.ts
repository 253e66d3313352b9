// Bounded JSON parsing: depth measured before parsing, messages that quote little of the input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_MAX_JSON_DEPTH, JsonInputError, jsonNestingDepth, parseJsonChecked } from "../../src/io/json.js";
import { readJsonChecked } from "../../src/io/read-json.js";

test("jsonNestingDepth counts brackets outside strings, escapes included", () => {
  assert.equal(jsonNestingDepth('{"a":[1,[2]]}'), 3);
  assert.equal(jsonNestingDepth('["[[[", "\\"[[["]'), 1);
  assert.equal(jsonNestingDepth("1"), 0);
  assert.equal(jsonNestingDepth("[".repeat(1_000_000), 10), 11, "stops just past the limit");
});

test("parseJsonChecked: depth limit, UTF-8, invalid JSON, all as JsonInputError with short messages", () => {
  assert.deepEqual(parseJsonChecked('{"a":[1,2]}', "config"), { a: [1, 2] });
  assert.deepEqual(parseJsonChecked(new TextEncoder().encode("[1]"), "config"), [1]);
  const deep = `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`;
  assert.throws(() => parseJsonChecked(deep, "vocabulary v.json"), (e: unknown) => e instanceof JsonInputError && e.message === `vocabulary v.json: nests objects and arrays more than ${DEFAULT_MAX_JSON_DEPTH} levels deep`);
  assert.throws(() => parseJsonChecked("[[[1]]]", "x", { maxDepth: 2 }), /x: nests objects and arrays more than 2 levels deep/);
  assert.throws(() => parseJsonChecked(Uint8Array.of(0x5b, 0xff, 0x5d), "x"), (e: unknown) => e instanceof JsonInputError && /x: not valid UTF-8 text/.test(e.message));
  const junk = `{"a": ${"9".repeat(5_000_000)}x}`;
  assert.throws(
    () => parseJsonChecked(junk, "config c.json"),
    (e: unknown) => e instanceof JsonInputError && e.message.startsWith("config c.json: not valid JSON (") && e.message.length < 300,
  );
  assert.throws(() => parseJsonChecked(5 as unknown as string, "x"), /parseJsonChecked: input must be a string or a Uint8Array, got number/);
});

test("readJsonChecked: file bounds then JSON bounds", () => {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-json-"));
  try {
    const p = join(dir, "config.json");
    writeFileSync(p, '{"hidden": 8}');
    assert.deepEqual(readJsonChecked(p, "run config"), { hidden: 8 });
    assert.throws(() => readJsonChecked(p, "run config", { maxBytes: 4 }), /cannot read run config .*config\.json: the file is 13 bytes, more than the limit of 4 bytes/);
    writeFileSync(p, "[".repeat(100));
    assert.throws(() => readJsonChecked(p, "run config"), /run config .*config\.json: nests objects and arrays more than 64 levels deep/);
    assert.throws(() => readJsonChecked("/dev/zero", "run config"), /is a character device, not a regular file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
