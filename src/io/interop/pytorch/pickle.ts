/**
 * A restricted unpickler: it reads the pickle opcodes (protocols 2 to 5) that `torch.save` emits
 * for a state dict and nothing else, so no code in the file ever runs, as PyTorch's own
 * `torch.load(..., weights_only=True)`. What it builds are plain values (numbers, strings,
 * tuples, lists, dicts); a callable is only ever one of the `globals` the caller allows, and
 * REDUCE calls only those. Any other opcode or global (e.g. `GLOBAL os system`) is a
 * `PyTorchFormatError` naming it and its byte offset.
 *
 * Bounds: the stack holds at most MAX_PICKLE_STACK values and the memo MAX_PICKLE_MEMO,
 * containers nest at most MAX_PICKLE_DEPTH deep, at most 10,000 + n/4 containers are built from
 * n bytes (PyTorch writes about one per 10 bytes), and every length is checked against the bytes
 * left before it is read, so the work and memory are linear in the input and small.
 */
import { MAX_PICKLE_DEPTH, MAX_PICKLE_MEMO, MAX_PICKLE_STACK, PyTorchFormatError, quote } from "./errors.js";

/** A Python tuple. */
export class PickleTuple {
  /** Nesting depth (1 for a tuple of scalars), kept on the object to bound nesting cheaply. */
  depth = 1;
  constructor(readonly items: readonly PickleValue[]) {}
}

/** A Python list. */
export class PickleList {
  /** Nesting depth, as PickleTuple's. */
  depth = 1;
  constructor(readonly items: PickleValue[] = []) {}
}

/** A Python dict or `collections.OrderedDict` (insertion order kept); keys are strings or numbers. */
export class PickleDict {
  /** Nesting depth, as PickleTuple's. */
  depth = 1;
  // Made on first use: a hostile pickle may build many empty dicts, and each Map costs.
  #map: Map<string | number, PickleValue> | null = null;

  /** The entries in insertion order. */
  get map(): Map<string | number, PickleValue> {
    this.#map ??= new Map();
    return this.#map;
  }
}

/** A global that the caller allowed, e.g. `torch._utils._rebuild_tensor_v2`, as a value. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** What the caller's callbacks may add to the value space (e.g. storages and tensors). */
export interface PickleObject {
  readonly pickleKind: string;
}

/** Any value the unpickler builds. */
export type PickleValue = null | boolean | number | bigint | string | PickleTuple | PickleList | PickleDict | PickleGlobal | PickleObject;

export interface UnpickleOptions {
  /** Names the input in errors, e.g. "model.pt: data.pkl". */
  source: string;
  /**
   * The callables REDUCE may call, by qualified name ("collections.OrderedDict"). A global not
   * listed here and not in `classes` is refused when it is read.
   */
  callables: ReadonlyMap<string, (args: PickleTuple) => PickleValue>;
  /** Globals that may appear as plain values but are never called (e.g. storage classes). */
  classes: ReadonlySet<string>;
  /** Resolves BINPERSID's persistent id (for torch: a storage). Absent: BINPERSID is refused. */
  persistentLoad?: (pid: PickleValue) => PickleValue;
  /** BUILD is accepted (and its state ignored) only on values for which this returns true. */
  buildIgnored?: (target: PickleValue) => boolean;
}

const MARK = Symbol("mark");
type StackItem = PickleValue | typeof MARK;

const OPCODE_NAMES: Record<number, string> = {
  0x28: "MARK", 0x2e: "STOP", 0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP", 0x46: "FLOAT", 0x49: "INT", 0x4a: "BININT",
  0x4b: "BININT1", 0x4c: "LONG", 0x4d: "BININT2", 0x4e: "NONE", 0x50: "PERSID", 0x51: "BINPERSID", 0x52: "REDUCE",
  0x53: "STRING", 0x54: "BINSTRING", 0x55: "SHORT_BINSTRING", 0x56: "UNICODE", 0x58: "BINUNICODE", 0x61: "APPEND",
  0x62: "BUILD", 0x63: "GLOBAL", 0x64: "DICT", 0x7d: "EMPTY_DICT", 0x65: "APPENDS", 0x67: "GET", 0x68: "BINGET",
  0x69: "INST", 0x6a: "LONG_BINGET", 0x6c: "LIST", 0x5d: "EMPTY_LIST", 0x6f: "OBJ", 0x70: "PUT", 0x71: "BINPUT",
  0x72: "LONG_BINPUT", 0x73: "SETITEM", 0x74: "TUPLE", 0x29: "EMPTY_TUPLE", 0x75: "SETITEMS", 0x47: "BINFLOAT",
  0x80: "PROTO", 0x81: "NEWOBJ", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x85: "TUPLE1", 0x86: "TUPLE2", 0x87: "TUPLE3",
  0x88: "NEWTRUE", 0x89: "NEWFALSE", 0x8a: "LONG1", 0x8b: "LONG4", 0x42: "BINBYTES", 0x43: "SHORT_BINBYTES",
  0x8c: "SHORT_BINUNICODE", 0x8d: "BINUNICODE8", 0x8e: "BINBYTES8", 0x8f: "EMPTY_SET", 0x90: "ADDITEMS",
  0x91: "FROZENSET", 0x92: "NEWOBJ_EX", 0x93: "STACK_GLOBAL", 0x94: "MEMOIZE", 0x95: "FRAME", 0x96: "BYTEARRAY8",
  0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER",
};

/** A short, non-recursive description of a value for error messages. */
export function describePickle(v: PickleValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "bigint") {
    const digits = String(v);
    return digits.length > 24 ? `an integer of ${digits.length} digits` : digits;
  }
  if (typeof v === "string") return `the string ${quote(v)}`;
  if (v instanceof PickleTuple) return `a tuple of ${v.items.length}`;
  if (v instanceof PickleList) return `a list of ${v.items.length}`;
  if (v instanceof PickleDict) return `a dict of ${v.map.size}`;
  if (v instanceof PickleGlobal) return `the global ${v.qualified}`;
  return `a ${v.pickleKind}`;
}

type Container = PickleTuple | PickleList | PickleDict;

// A field rather than a WeakMap: millions of WeakMap keys make garbage collection crawl.
function depth(v: PickleValue): number {
  return v instanceof PickleTuple || v instanceof PickleList || v instanceof PickleDict ? v.depth : 0;
}

/**
 * Unpickles `bytes` under the restrictions of `options` and returns the value STOP leaves.
 * Throws `PyTorchFormatError` for any opcode or global a state dict does not hold, a truncated
 * stream, or a bound exceeded.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): PickleValue {
  const { source } = options;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const stack: StackItem[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();
  let pos = 0;
  let opAt = 0;
  let containersLeft = 10_000 + Math.floor(bytes.length / 4);

  const fail = (why: string): never => {
    throw new PyTorchFormatError(`${source}: ${why} (at byte ${opAt})`);
  };
  const need = (n: number, what: string): number => {
    if (n > bytes.length - pos) fail(`${what} needs ${n} bytes but only ${bytes.length - pos} remain (the pickle is truncated)`);
    const at = pos;
    pos += n;
    return at;
  };
  const push = (v: PickleValue): void => {
    if (stack.length >= MAX_PICKLE_STACK) fail(`the pickle stack grew past ${MAX_PICKLE_STACK} values`);
    stack.push(v);
  };
  const pop = (what: string): PickleValue => {
    const v = stack.pop();
    if (v === undefined) return fail(`${what} found the stack empty`);
    if (v === MARK) return fail(`${what} found a MARK where a value was expected`);
    if (marks.length > 0 && stack.length < marks[marks.length - 1]!) fail(`${what} reached below the current MARK`);
    return v;
  };
  const top = (what: string): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) return fail(`${what} needs a value on the stack`);
    return v;
  };
  const popMark = (what: string): PickleValue[] => {
    const m = marks.pop();
    if (m === undefined) return fail(`${what} without a MARK`);
    const items = stack.splice(m);
    const out: PickleValue[] = [];
    for (const item of items) if (item !== MARK) out.push(item);
    // The MARK itself sits just below the items.
    if (stack.pop() !== MARK) fail(`${what}: the stack lost its MARK`);
    return out;
  };
  /** Sets the depth of a new container (`base` 1) or of one that grew (`base` its depth, not counted again). */
  const nest = <T extends Container>(container: T, children: readonly PickleValue[], base = 1, fresh = true): T => {
    if (fresh && --containersLeft < 0) fail(`the pickle builds more containers than its ${bytes.length} bytes can describe`);
    let d = base;
    for (const c of children) d = Math.max(d, depth(c) + 1);
    if (d > MAX_PICKLE_DEPTH) fail(`containers nest deeper than ${MAX_PICKLE_DEPTH}`);
    container.depth = d;
    return container;
  };
  const string = (at: number, n: number, what: string): string => {
    try {
      return utf8.decode(bytes.subarray(at, at + n));
    } catch {
      return fail(`${what} is not valid UTF-8`);
    }
  };
  const memoPut = (index: number): void => {
    if (memo.size >= MAX_PICKLE_MEMO && !memo.has(index)) fail(`the pickle memo grew past ${MAX_PICKLE_MEMO} values`);
    memo.set(index, top("a memo put"));
  };
  const memoGet = (index: number): void => {
    const v = memo.get(index);
    if (v === undefined) fail(`memo entry ${index} is read before it is written`);
    push(v as PickleValue);
  };
  const global = (module: string, name: string): PickleGlobal => {
    const q = `${module}.${name}`;
    if (!options.callables.has(q) && !options.classes.has(q)) {
      fail(`the global ${quote(q)} is not allowed: a state dict holds only ordered dicts, tensors, their storages, numbers and strings, so nothing else is loaded and no code runs`);
    }
    return new PickleGlobal(module, name);
  };
  const line = (what: string): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0 || end - pos > 256) fail(`${what} is not a short newline-terminated name`);
    const s = string(pos, end - pos, what);
    pos = end + 1;
    return s;
  };
  const setItem = (dict: PickleValue, key: PickleValue, value: PickleValue, what: string): void => {
    if (!(dict instanceof PickleDict)) fail(`${what} on ${describePickle(dict)}, not a dict`);
    if (typeof key !== "string" && typeof key !== "number") fail(`${what}: a dict key must be a string or a number, got ${describePickle(key)}`);
    const d = dict as PickleDict;
    d.map.set(key as string | number, value);
    nest(d, [value], depth(d), false);
  };
  const append = (list: PickleValue, items: PickleValue[], what: string): void => {
    if (!(list instanceof PickleList)) fail(`${what} on ${describePickle(list)}, not a list`);
    const l = list as PickleList;
    for (const item of items) l.items.push(item);
    nest(l, items, depth(l), false);
  };

  for (;;) {
    opAt = pos;
    if (pos >= bytes.length) fail("the pickle ends without STOP");
    const op = bytes[pos++]!;
    switch (op) {
      case 0x80: // PROTO
        need(1, "PROTO");
        if (bytes[pos - 1]! > 5) fail(`pickle protocol ${bytes[pos - 1]} is newer than 5`);
        break;
      case 0x95: // FRAME: a length hint only
        need(8, "FRAME");
        break;
      case 0x2e: {
        // STOP
        const v = pop("STOP");
        return v;
      }
      case 0x28: // MARK
        if (marks.length >= MAX_PICKLE_DEPTH * 4) fail(`more than ${MAX_PICKLE_DEPTH * 4} open MARKs`);
        marks.push(stack.length + 1);
        if (stack.length >= MAX_PICKLE_STACK) fail(`the pickle stack grew past ${MAX_PICKLE_STACK} values`);
        stack.push(MARK);
        break;
      case 0x7d: // EMPTY_DICT
        push(nest(new PickleDict(), []));
        break;
      case 0x5d: // EMPTY_LIST
        push(nest(new PickleList(), []));
        break;
      case 0x29: // EMPTY_TUPLE
        push(nest(new PickleTuple([]), []));
        break;
      case 0x58: {
        // BINUNICODE
        const at = need(4, "BINUNICODE");
        const n = view.getUint32(at, true);
        push(string(need(n, "BINUNICODE"), n, "a BINUNICODE string"));
        break;
      }
      case 0x8c: {
        // SHORT_BINUNICODE
        const n = bytes[need(1, "SHORT_BINUNICODE")]!;
        push(string(need(n, "SHORT_BINUNICODE"), n, "a SHORT_BINUNICODE string"));
        break;
      }
      case 0x8d: {
        // BINUNICODE8
        const at = need(8, "BINUNICODE8");
        const n = view.getBigUint64(at, true);
        if (n > BigInt(bytes.length - pos)) fail(`BINUNICODE8 declares ${n} bytes but only ${bytes.length - pos} remain`);
        push(string(need(Number(n), "BINUNICODE8"), Number(n), "a BINUNICODE8 string"));
        break;
      }
      case 0x4a: // BININT
        push(view.getInt32(need(4, "BININT"), true));
        break;
      case 0x4b: // BININT1
        push(bytes[need(1, "BININT1")]!);
        break;
      case 0x4d: // BININT2
        push(view.getUint16(need(2, "BININT2"), true));
        break;
      case 0x8a: {
        // LONG1: n little-endian two's-complement bytes
        const n = bytes[need(1, "LONG1")]!;
        const at = need(n, "LONG1");
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]!);
        if (n > 0 && (bytes[at + n - 1]! & 0x80) !== 0) v -= 1n << BigInt(8 * n);
        push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: // BINFLOAT: big-endian double
        push(view.getFloat64(need(8, "BINFLOAT"), false));
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x74: {
        // TUPLE
        const items = popMark("TUPLE");
        push(nest(new PickleTuple(items), items));
        break;
      }
      case 0x85:
      case 0x86:
      case 0x87: {
        // TUPLE1..3
        const n = op - 0x84;
        const items: PickleValue[] = [];
        for (let i = 0; i < n; i++) items.unshift(pop(OPCODE_NAMES[op]!));
        push(nest(new PickleTuple(items), items));
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop("SETITEM");
        const key = pop("SETITEM");
        setItem(top("SETITEM"), key, value, "SETITEM");
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark("SETITEMS");
        if (items.length % 2 !== 0) fail(`SETITEMS has ${items.length} values, not key-value pairs`);
        const dict = top("SETITEMS");
        for (let i = 0; i < items.length; i += 2) setItem(dict, items[i]!, items[i + 1]!, "SETITEMS");
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop("APPEND");
        append(top("APPEND"), [v], "APPEND");
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark("APPENDS");
        append(top("APPENDS"), items, "APPENDS");
        break;
      }
      case 0x71: // BINPUT
        memoPut(bytes[need(1, "BINPUT")]!);
        break;
      case 0x72: // LONG_BINPUT
        memoPut(view.getUint32(need(4, "LONG_BINPUT"), true));
        break;
      case 0x94: // MEMOIZE
        memoPut(memo.size);
        break;
      case 0x68: // BINGET
        memoGet(bytes[need(1, "BINGET")]!);
        break;
      case 0x6a: // LONG_BINGET
        memoGet(view.getUint32(need(4, "LONG_BINGET"), true));
        break;
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const module = line("GLOBAL's module");
        const name = line("GLOBAL's name");
        push(global(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop("STACK_GLOBAL");
        const module = pop("STACK_GLOBAL");
        if (typeof module !== "string" || typeof name !== "string") fail(`STACK_GLOBAL needs two strings, got ${describePickle(module)} and ${describePickle(name)}`);
        push(global(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE: callable(*args), only for the allowed callables
        const args = pop("REDUCE");
        const callable = pop("REDUCE");
        if (!(callable instanceof PickleGlobal)) return fail(`REDUCE on ${describePickle(callable)}, which is not an allowed callable`);
        const fn = options.callables.get(callable.qualified);
        if (fn === undefined) return fail(`REDUCE on ${callable.qualified}, which is not callable in a state dict`);
        if (!(args instanceof PickleTuple)) return fail(`REDUCE on ${callable.qualified} with ${describePickle(args)} instead of an argument tuple`);
        let made: PickleValue;
        try {
          made = fn(args);
        } catch (e) {
          if (e instanceof PyTorchFormatError) throw new PyTorchFormatError(`${source}: ${callable.qualified}: ${e.message} (at byte ${opAt})`);
          throw e;
        }
        push(made);
        break;
      }
      case 0x51: {
        // BINPERSID
        if (options.persistentLoad === undefined) return fail("BINPERSID (a persistent reference) is not allowed here");
        const pid = pop("BINPERSID");
        try {
          push(options.persistentLoad(pid));
        } catch (e) {
          if (e instanceof PyTorchFormatError) throw new PyTorchFormatError(`${source}: ${e.message} (at byte ${opAt})`);
          throw e;
        }
        break;
      }
      case 0x62: {
        // BUILD: only the metadata a state dict's OrderedDict carries; its state is dropped
        pop("BUILD");
        const target = top("BUILD");
        if (options.buildIgnored?.(target) !== true) fail(`BUILD (setting an object's state) on ${describePickle(target)} is not allowed`);
        break;
      }
      default: {
        const name = OPCODE_NAMES[op];
        fail(
          name === undefined
            ? `byte 0x${op.toString(16).padStart(2, "0")} is not a pickle opcode`
            : `the pickle opcode ${name} (0x${op.toString(16)}) is not allowed: a state dict never needs it, and refusing it keeps any code from running`,
        );
      }
    }
  }
}
