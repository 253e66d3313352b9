/**
 * Fuzzes the PyTorch readers (`readTorchStateDict`: ZIP, restricted unpickler, tensors from
 * storages) and the mapping of what they read onto layers (`stateDictToModel`):
 * `node --conditions=source --import tsx fuzz/pickle.ts --cases 100000`.
 * Documented failure: PyTorchFormatError. Seeds are the torch.save files of
 * test/fixtures/interop/pytorch (valid ones and the refused ones) and interop/pytorch-cells
 * (peephole and layer-norm LSTMs) plus a few safetensors files.
 * Half the cases are structure-aware: the archive is opened, its data.pkl (or a storage) is
 * mutated, with pickle opcodes spliced in as well as random bytes, and the archive is rebuilt
 * with consistent offsets, so the mutations reach the unpickler and the tensor checks; some
 * cases are random bytes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { PyTorchFormatError } from "../src/io/interop/pytorch/errors.js";
import { readTorchStateDict } from "../src/io/interop/pytorch/read.js";
import { stateDictToModel } from "../src/io/interop/pytorch/map.js";
import { readZip } from "../src/io/interop/pytorch/zip.js";
import { Generator } from "../src/tensor/random.js";
import { main, type FuzzTarget } from "./lib.js";

const fixtures = fileURLToPath(new URL("../test/fixtures/interop/pytorch/", import.meta.url));
const cellFixtures = fileURLToPath(new URL("../test/fixtures/interop/pytorch-cells/", import.meta.url));

function seeds(): Uint8Array[] {
  const files = readdirSync(fixtures).sort();
  const pt = files.filter((f) => f.endsWith(".pt")).map((f) => new Uint8Array(readFileSync(join(fixtures, f))));
  const st = files.filter((f) => f.endsWith(".safetensors")).slice(0, 4).map((f) => new Uint8Array(readFileSync(join(fixtures, f))));
  const cells = readdirSync(cellFixtures).sort().filter((f) => f.endsWith(".pt")).map((f) => new Uint8Array(readFileSync(join(cellFixtures, f))));
  return [...pt, ...cells, ...st];
}

/** Builds an uncompressed ZIP archive (CRCs left 0: the reader does not check them). */
export function writeZip(entries: [string, Uint8Array][]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = enc.encode(name);
    const local = new Uint8Array(30 + n.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, n.length, true);
    local.set(n, 30);
    const c = new Uint8Array(46 + n.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, n.length, true);
    cv.setUint32(42, offset, true);
    c.set(n, 46);
    parts.push(local, data);
    central.push(c);
    offset += local.length + data.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, eocd];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const enc = new TextEncoder();
/** Pickle fragments: opcodes with hostile arguments, disallowed globals, bombs. */
const SNIPPETS: Uint8Array[] = [
  enc.encode("cos\nsystem\n"),
  enc.encode("cbuiltins\neval\n"),
  enc.encode("ctorch._utils\n_rebuild_tensor_v2\n"),
  enc.encode("ccollections\nOrderedDict\n"),
  enc.encode("ctorch\nFloatStorage\n"),
  Uint8Array.of(0x28), // MARK
  Uint8Array.of(0x74), // TUPLE
  Uint8Array.of(0x52), // REDUCE
  Uint8Array.of(0x51), // BINPERSID
  Uint8Array.of(0x62), // BUILD
  Uint8Array.of(0x73), // SETITEM
  Uint8Array.of(0x75), // SETITEMS
  Uint8Array.of(0x2e), // STOP
  Uint8Array.of(0x68, 0xff), // BINGET 255
  Uint8Array.of(0x6a, 0xff, 0xff, 0xff, 0x7f), // LONG_BINGET
  Uint8Array.of(0x72, 0xff, 0xff, 0xff, 0xff), // LONG_BINPUT
  Uint8Array.of(0x58, 0xff, 0xff, 0xff, 0x7f), // BINUNICODE with a huge length
  Uint8Array.of(0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // BINUNICODE8
  Uint8Array.of(0x8a, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), // LONG1 2^63-1
  Uint8Array.of(0x4a, 0xff, 0xff, 0xff, 0x7f), // BININT max
  Uint8Array.of(0x4a, 0xff, 0xff, 0xff, 0xff), // BININT -1
  Uint8Array.of(0x4b, 0x00), // BININT1 0
  Uint8Array.of(0x47, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0), // BINFLOAT NaN
  Uint8Array.of(0x8c, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f), // SHORT_BINUNICODE
  Uint8Array.of(0x93), // STACK_GLOBAL
  Uint8Array.of(0x94), // MEMOIZE
  Uint8Array.of(0x95, 8, 0, 0, 0, 0, 0, 0, 0), // FRAME
  Uint8Array.of(0x5d, 0x61, 0x65), // EMPTY_LIST APPEND APPENDS
  Uint8Array.of(0x81), // NEWOBJ (refused)
  Uint8Array.of(0x69), // INST (refused)
];

function splice(b: Uint8Array, at: number, remove: number, ins: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - Math.min(remove, b.length - at) + ins.length);
  out.set(b.subarray(0, at));
  out.set(ins, at);
  out.set(b.subarray(Math.min(b.length, at + remove)), at + ins.length);
  return out;
}

function mutatePickle(p: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  switch (rng.randint(0, 4)) {
    case 0:
      return mutateBytes(p);
    case 1: {
      // Repeat one fragment many times: MARK bombs, memo floods, deep tuples.
      const s = SNIPPETS[rng.randint(0, SNIPPETS.length)]!;
      const times = 2 ** rng.randint(1, 17);
      const run = new Uint8Array(s.length * times);
      for (let i = 0; i < times; i++) run.set(s, i * s.length);
      return splice(p, rng.randint(0, p.length + 1), 0, run);
    }
    default: {
      let out = p;
      const n = rng.randint(1, 4);
      for (let k = 0; k < n; k++) out = splice(out, rng.randint(0, out.length + 1), rng.randint(0, 3), SNIPPETS[rng.randint(0, SNIPPETS.length)]!);
      return out;
    }
  }
}

/** Random bytes, sometimes behind a ZIP, pickle or safetensors opening so that they get past the first check. */
function randomInput(rng: Generator): Uint8Array {
  const out = new Uint8Array(rng.randint(0, 4097));
  for (let i = 0; i < out.length; i++) out[i] = rng.randint(0, 256);
  const heads = [Uint8Array.of(0x50, 0x4b, 0x03, 0x04), Uint8Array.of(0x80, 0x02, 0x8a), Uint8Array.of(8, 0, 0, 0, 0, 0, 0, 0, 0x7b), new Uint8Array(0)];
  const head = heads[rng.randint(0, heads.length)]!;
  if (out.length >= head.length) out.set(head);
  return out;
}

/** Opens an archive, mutates data.pkl (mostly) or one storage, and rebuilds it; one case in 8 is random bytes. */
function mutateStructured(input: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  if (rng.randint(0, 8) === 0) return randomInput(rng);
  let entries: [string, Uint8Array][];
  try {
    entries = [...readZip(input, "seed")];
  } catch {
    return mutateBytes(input);
  }
  const k = entries.findIndex(([n]) => n.endsWith("data.pkl"));
  if (k < 0 || rng.randint(0, 5) === 0) {
    const j = rng.randint(0, entries.length);
    const e = entries[j];
    if (e !== undefined) entries[j] = [e[0], rng.randint(0, 2) === 0 ? e[1].subarray(0, rng.randint(0, e[1].length + 1)) : mutateBytes(e[1])];
  } else {
    entries[k] = [entries[k]![0], mutatePickle(entries[k]![1], rng, mutateBytes)];
  }
  return writeZip(entries);
}

export const target: FuzzTarget = {
  name: "pickle",
  seeds: seeds(),
  run(input) {
    const dict = readTorchStateDict(input, { source: "fuzz.pt" });
    let held = 0;
    for (const t of dict.values()) held += t.data.byteLength;
    stateDictToModel(dict, { source: "fuzz.pt" });
    return held;
  },
  expected: (err) => err instanceof PyTorchFormatError,
  mutate: mutateStructured,
};

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main(target);
