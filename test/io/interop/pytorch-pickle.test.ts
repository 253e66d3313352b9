// The restricted unpickler, the ZIP reader and the tensor rebuild, on hand-made inputs: every
// refused opcode or global is named, every bound holds, every offset is checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PyTorchFormatError, MAX_PICKLE_DEPTH } from "../../../src/io/interop/pytorch/errors.js";
import { unpickle, PickleDict, PickleList, PickleTuple, type PickleValue, type UnpickleOptions } from "../../../src/io/interop/pytorch/pickle.js";
import { readZip } from "../../../src/io/interop/pytorch/zip.js";
import { readTorchStateDict } from "../../../src/io/interop/pytorch/read.js";
import { TorchStorage, tensorFromStorage } from "../../../src/io/interop/pytorch/tensor.js";
import { writeZip } from "../../../fuzz/pickle.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "interop", "pytorch");
const enc = new TextEncoder();
const bytes = (...parts: (number | string)[]): Uint8Array => {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else out.push(...enc.encode(p));
  }
  return Uint8Array.from(out);
};
const opts: UnpickleOptions = {
  source: "t.pkl",
  callables: new Map([["collections.OrderedDict", () => new PickleDict()]]),
  classes: new Set(),
  buildIgnored: (v) => v instanceof PickleDict,
};
const refused = (b: Uint8Array, re: RegExp, o: UnpickleOptions = opts): void => {
  assert.throws(() => unpickle(b, o), (e: unknown) => e instanceof PyTorchFormatError && re.test(e.message));
};

test("the opcodes of a state dict build plain values", () => {
  // {"a": (1, -1, 300, 2**40, 0.5, True, None, "é"), "b": [1, 2]} with memo puts, protocol 4 framing.
  const v = unpickle(
    bytes(0x80, 4, 0x95, 0, 0, 0, 0, 0, 0, 0, 0, 0x7d, 0x94, 0x28, 0x8c, 1, "a", 0x94, 0x28, 0x4b, 1, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x4d, 0x2c, 0x01, 0x8a, 6, 0, 0, 0, 0, 0, 1,
      0x47, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0, 0x88, 0x4e, 0x58, 2, 0, 0, 0, 0xc3, 0xa9, 0x74, 0x71, 5, 0x8c, 1, "b", 0x5d, 0x4b, 1, 0x61, 0x28, 0x4b, 2, 0x65, 0x75, 0x2e),
    opts,
  );
  assert.ok(v instanceof PickleDict);
  const a = v.map.get("a");
  assert.ok(a instanceof PickleTuple);
  assert.deepEqual(a.items, [1, -1, 300, 2 ** 40, 0.5, true, null, "é"]);
  const b = v.map.get("b");
  assert.ok(b instanceof PickleList);
  assert.deepEqual(b.items, [1, 2]);
});

test("globals outside the allow-list are refused by name before anything is called", () => {
  refused(bytes(0x80, 2, "c", "os\nsystem\n", ")", "R", "."), /^t\.pkl: the global "os\.system" is not allowed: .* no code runs \(at byte 2\)$/);
  refused(bytes(0x80, 4, 0x8c, 8, "builtins", 0x8c, 4, "exec", 0x93, "."), /the global "builtins\.exec" is not allowed/);
  // An allowed class is a value but never a callable.
  refused(bytes("c", "torch\nFloatStorage\n", ")", "R", "."), /REDUCE on torch\.FloatStorage, which is not callable/, { ...opts, classes: new Set(["torch.FloatStorage"]) });
});

test("opcodes a state dict never needs are refused by name", () => {
  for (const [op, name] of [[0x81, "NEWOBJ"], [0x69, "INST"], [0x6f, "OBJ"], [0x92, "NEWOBJ_EX"], [0x42, "BINBYTES"], [0x8f, "EMPTY_SET"], [0x30, "POP"], [0x50, "PERSID"]] as const) {
    refused(bytes(0x80, 2, op, "."), new RegExp(`the pickle opcode ${name} \\(0x${op.toString(16)}\\) is not allowed.* \\(at byte 2\\)$`));
  }
  refused(bytes(0x80, 2, 0xff), /byte 0xff is not a pickle opcode/);
  refused(bytes(0x80, 2, "N", "Q", "."), /BINPERSID \(a persistent reference\) is not allowed here/);
  refused(bytes(0x80, 2, "]", "N", "b", "."), /BUILD \(setting an object's state\) on a list of 0 is not allowed/);
  refused(bytes(0x80, 6, "N", "."), /pickle protocol 6 is newer than 5/);
});

test("truncation, bad references and bombs are errors, not crashes or hangs", () => {
  refused(bytes(0x80, 2, "N"), /the pickle ends without STOP/);
  refused(bytes(0x80, 2, "X", 0xff, 0xff, 0xff, 0x7f, "ab"), /BINUNICODE needs 2147483647 bytes but only 2 remain/);
  refused(bytes(0x80, 2, "h", 9, "."), /memo entry 9 is read before it is written/);
  refused(bytes(0x80, 2, "t", "."), /TUPLE without a MARK/);
  refused(bytes(0x80, 2, "."), /STOP found the stack empty/);
  refused(bytes(0x80, 2, "(", "."), /STOP found a MARK/);
  refused(bytes(0x80, 2, "}", "N", "]", "s", "."), /a dict key must be a string or a number, got None/);
  refused(bytes(0x80, 2, "X", 2, 0, 0, 0, 0xc3, 0x28, "."), /a BINUNICODE string is not valid UTF-8/);
  refused(bytes(0x80, 2, ...Array.from({ length: 300 }, () => 0x28), "."), /more than 256 open MARKs/);
  const deep = bytes(0x80, 2, ...Array.from({ length: MAX_PICKLE_DEPTH + 2 }, () => 0x5d), ...Array.from({ length: MAX_PICKLE_DEPTH + 1 }, () => 0x61), ".");
  refused(deep, new RegExp(`containers nest deeper than ${MAX_PICKLE_DEPTH}`));
  // A hundred thousand memo gets of one value overflow the stack bound, quickly.
  const flood = new Uint8Array(5 + 2 * 110_000 + 1);
  flood.set([0x80, 2, 0x4e, 0x71, 0]);
  for (let i = 5; i + 1 < flood.length; i += 2) flood.set([0x68, 0], i);
  const t0 = Date.now();
  refused(flood, /the pickle stack grew past 100000 values/);
  assert.ok(Date.now() - t0 < 2000);
});

test("tensors: strides and offsets are checked against the storage before allocating", () => {
  const storage = new TorchStorage("float32", "0", new Uint8Array(new Float32Array([0, 1, 2, 3, 4, 5]).buffer), 6);
  const budget = () => ({ bytesLeft: 1000 });
  assert.deepEqual([...tensorFromStorage(storage, 0, [2, 3], [1, 2], budget()).data], [0, 2, 4, 1, 3, 5]);
  assert.deepEqual([...tensorFromStorage(storage, 2, [2, 2], [2, 1], budget()).data], [2, 3, 4, 5]);
  assert.throws(() => tensorFromStorage(storage, 3, [2, 2], [2, 1], budget()), /reach element 6, but the storage holds 6/);
  assert.throws(() => tensorFromStorage(storage, 0, [2], [-1], budget()), /stride\[0\] = -1 is not a non-negative integer/);
  assert.throws(() => tensorFromStorage(storage, 0, [2 ** 20, 2 ** 20], [0, 0], budget()), /more than 268435456 elements/);
  // A stride-0 view may repeat a storage, but not past the file's allocation budget.
  assert.throws(() => tensorFromStorage(storage, 0, [1000], [0], budget()), /would exceed the allocation limit/);
  assert.equal(tensorFromStorage(storage, 0, [0, 5], [5, 1], budget()).data.length, 0);
});

test("the ZIP reader checks every offset and size against the file", () => {
  const good = new Uint8Array(readFileSync(join(dir, "gru_l1_uni_bias_tf.pt")));
  assert.ok(readZip(good, "g.pt").size >= 3);
  const fail = (b: Uint8Array, re: RegExp): void => assert.throws(() => readZip(b, "z.pt"), (e: unknown) => e instanceof PyTorchFormatError && re.test(e.message));
  fail(good.subarray(0, 10), /too short for a ZIP archive/);
  fail(good.subarray(0, good.length - 5), /no end-of-central-directory record/);
  const entry = enc.encode("x");
  const z = writeZip([["a/data.pkl", entry]]);
  const bad = z.slice();
  new DataView(bad.buffer).setUint32(bad.length - 6, 1000, true); // central directory offset
  fail(bad, /the central directory \(offset 1000, \d+ bytes\) runs past the end record/);
  const cd = 30 + 10 + 1;
  const big = z.slice();
  new DataView(big.buffer).setUint32(cd + 24, 5000, true); // uncompressed size only
  fail(big, /stored with 1 bytes but declares 5000/);
  const both = z.slice();
  new DataView(both.buffer).setUint32(cd + 20, 5000, true);
  new DataView(both.buffer).setUint32(cd + 24, 5000, true);
  fail(both, /its 5000 bytes at offset 40 run past the data area/);
  fail(writeZip([["a", entry], ["a", entry]]), /entry "a" appears twice/);
  const many = z.slice();
  new DataView(many.buffer).setUint16(many.length - 12, 0xfffe, true);
  fail(many, /65534 entries cannot fit in a central directory/);
});

test("a torch.save archive with a missing or short storage is refused naming it", () => {
  const good = new Uint8Array(readFileSync(join(dir, "gru_l1_uni_bias_tf.pt")));
  const entries = [...readZip(good, "g")];
  const dropped = writeZip(entries.filter(([n]) => !n.endsWith("/data/0")));
  assert.throws(() => readTorchStateDict(dropped, { source: "d.pt" }), /d\.pt: .*storage "0" has no entry ".*data\/0" in the archive/);
  const short = writeZip(entries.map(([n, d]): [string, Uint8Array] => [n, n.endsWith("/data/0") ? d.subarray(0, 8) : d]));
  assert.throws(() => readTorchStateDict(short, { source: "s.pt" }), /storage "0" declares \d+ elements \(\d+ bytes\) but its entry has 8 bytes/);
  const two = writeZip([...entries, ["b/data.pkl", new Uint8Array(1)]]);
  assert.throws(() => readTorchStateDict(two), /holds one data\.pkl, this one holds 2/);
  const prefix = entries.find(([n]) => n.endsWith("data.pkl"))![0].slice(0, -"data.pkl".length);
  const bigEndian = writeZip([...entries.filter(([n]) => !n.endsWith("byteorder")), [`${prefix}byteorder`, enc.encode("big")]]);
  assert.throws(() => readTorchStateDict(bigEndian), /stored big-endian/);
});

test("errors never dump the input: a long name is quoted short", () => {
  const b = bytes(0x80, 2, "c", `os\n${"z".repeat(200)}\n`, ".");
  assert.throws(() => unpickle(b, opts), (e: unknown) => e instanceof PyTorchFormatError && e.message.length < 300);
  const v: PickleValue = unpickle(bytes(0x80, 2, "N", "."), opts);
  assert.equal(v, null);
});

test("a flood of containers is cut off by the input's size, quickly", () => {
  // A list, then EMPTY_DICT APPEND: 2 bytes per dict, far more dicts than PyTorch writes in that space.
  const n = 200_000;
  const flood = new Uint8Array(3 + 2 * n + 1);
  flood.set([0x80, 4, 0x5d]);
  for (let i = 0; i < n; i++) flood.set([0x7d, 0x61], 3 + 2 * i);
  flood[flood.length - 1] = 0x2e;
  const t0 = Date.now();
  refused(flood, /the pickle builds more containers than its 400004 bytes can describe/);
  assert.ok(Date.now() - t0 < 2000);
});
