/**
 * A small seeded mutation fuzzer. Each case takes a seed input, applies one to four random
 * mutations (bit flips, interesting bytes, inserted tokens, deleted, duplicated or spliced
 * ranges; plus the target's own structure-aware mutations), runs the target on it and checks:
 *
 * - it returns, or throws one of the target's documented error types (anything else is a crash);
 * - it takes under `maxCaseMs` (2 s);
 * - what it returns holds at most `maxAllocRatio` times the input's size;
 * - an error message is at most `maxMessage` characters (input is quoted, never dumped).
 *
 * Same seed, same cases: a finding is reproduced by its seed and case number.
 */
import { performance } from "node:perf_hooks";
import { Generator } from "../src/tensor/random.js";

export interface FuzzTarget {
  name: string;
  /** Valid inputs to mutate. */
  seeds: Uint8Array[];
  /** Runs one case. Returns the bytes held by what it produced (0 when it threw). */
  run(input: Uint8Array): number;
  /** True for the documented error types. */
  expected(err: unknown): boolean;
  /**
   * Over-long messages already known and owned elsewhere: counted in `knownLongMessages`, not
   * reported as findings (so that the run still fails on any new one).
   */
  knownLongMessages?: RegExp;
  /** Structure-aware mutations, tried on about half of the cases. */
  mutate?(input: Uint8Array, rng: Generator, mutateBytes: (b: Uint8Array) => Uint8Array): Uint8Array;
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  maxCaseMs?: number;
  maxAllocRatio?: number;
  maxMessage?: number;
}

export interface Finding {
  kind: "crash" | "hang" | "allocation" | "message";
  caseIndex: number;
  detail: string;
  inputHead: string;
}

export interface FuzzReport {
  target: string;
  cases: number;
  accepted: number;
  rejected: number;
  findings: Finding[];
  slowestMs: number;
  largestRatio: number;
  longestMessage: number;
  knownLongMessages: number;
  seconds: number;
  peakRssMiB: number;
}

const TOKENS = [
  "__proto__", "constructor", "prototype", "toString", "__metadata__", "1e309", "-1", "-0", "0.5", "9007199254740993",
  "18446744073709551615", "4294967296", "null", "true", "false", "[]", "{}", '""', '"F16"', '"BF16"', '"BOOL"', '"I64"',
  '"U8"', '"F64"', "[[[[[[[[[[[[", "{{{{{{{{", "]]]]", "\\ud800", "\\u0000", '\\"', "<unk>", '"dtype"', '"shape"',
  '"data_offsets"', "[0,0]", "[1,2,3]", ",", ":", '"version":1', '"idxToToken"', '"tokenFreqs"',
].map((t) => new TextEncoder().encode(t));
const INTERESTING = [0, 1, 0x20, 0x22, 0x2c, 0x2d, 0x30, 0x31, 0x39, 0x3a, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f, 0x80, 0xc0, 0xed, 0xff];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One random byte-level mutation of `b` (a new array; `b` is not changed). */
export function mutateOnce(b: Uint8Array, rng: Generator, seeds: readonly Uint8Array[]): Uint8Array {
  const pos = (n = b.length) => (n === 0 ? 0 : rng.randint(0, n + 1));
  // Rarely, a huge run: 16 to 1M copies of one token or byte (deep nesting, giant names and numbers).
  if (rng.randint(0, 64) === 0) {
    if (rng.randint(0, 2) === 0) {
      // A balanced nest `[[[...0...]]]` put in place of a short range: valid JSON when the range was a value.
      const depth = 2 ** rng.randint(4, 19);
      const nest = new Uint8Array(2 * depth + 1).fill(0x5b, 0, depth).fill(0x30, depth, depth + 1).fill(0x5d, depth + 1);
      const at = pos();
      return concat(b.subarray(0, at), nest, b.subarray(Math.min(b.length, at + rng.randint(0, 3))));
    }
    const unit = rng.randint(0, 2) === 0 ? (TOKENS[rng.randint(0, TOKENS.length)] ?? new Uint8Array(0)) : Uint8Array.of(INTERESTING[rng.randint(0, INTERESTING.length)] ?? 0x5b);
    const times = 2 ** rng.randint(4, 21);
    const run = new Uint8Array(unit.length * times);
    for (let i = 0; i < times; i++) run.set(unit, i * unit.length);
    const at = pos();
    return concat(b.subarray(0, at), run, b.subarray(at));
  }
  switch (rng.randint(0, 8)) {
    case 0: {
      if (b.length === 0) return Uint8Array.of(rng.randint(0, 256));
      const out = b.slice();
      const i = rng.randint(0, b.length);
      out[i] = (out[i] ?? 0) ^ (1 << rng.randint(0, 8));
      return out;
    }
    case 1: {
      if (b.length === 0) return Uint8Array.of(INTERESTING[rng.randint(0, INTERESTING.length)] ?? 0);
      const out = b.slice();
      out[rng.randint(0, b.length)] = INTERESTING[rng.randint(0, INTERESTING.length)] ?? 0;
      return out;
    }
    case 2: {
      const at = pos();
      const len = rng.randint(1, 17);
      return concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + len)));
    }
    case 3: {
      const at = pos();
      const ins = new Uint8Array(rng.randint(1, 17));
      for (let i = 0; i < ins.length; i++) ins[i] = rng.randint(0, 256);
      return concat(b.subarray(0, at), ins, b.subarray(at));
    }
    case 4: {
      const at = pos();
      const len = rng.randint(1, 33);
      const chunk = b.subarray(at, Math.min(b.length, at + len));
      const times = rng.randint(1, 9);
      return concat(b.subarray(0, at), ...Array.from({ length: times }, () => chunk), b.subarray(at));
    }
    case 5:
    case 6: {
      const at = pos();
      const token = TOKENS[rng.randint(0, TOKENS.length)] ?? new Uint8Array(0);
      const replace = rng.randint(0, 2) === 0 ? 0 : rng.randint(0, 9);
      return concat(b.subarray(0, at), token, b.subarray(Math.min(b.length, at + replace)));
    }
    default: {
      const other = seeds[rng.randint(0, seeds.length)] ?? b;
      return concat(b.subarray(0, pos()), other.subarray(pos(other.length)));
    }
  }
}

/** JSON text of a hostile value: deep nests, huge strings and numbers, wrong types. Built as text: no recursion. */
export function hostileValue(rng: Generator): string {
  const big = () => 2 ** rng.randint(4, 21);
  switch (rng.randint(0, 10)) {
    case 0: {
      const d = big();
      return `${"[".repeat(d)}${"]".repeat(d)}`;
    }
    case 1: {
      const d = big();
      return `${'{"a":'.repeat(d)}1${"}".repeat(d)}`;
    }
    case 2:
      return JSON.stringify("x".repeat(big()));
    case 3:
      return `[${Array.from({ length: rng.randint(0, 80) }, () => rng.randint(0, 2 ** 31)).join(",")}]`;
    case 4:
      return ["-1", "0.5", "1e309", "9007199254740993", "18446744073709551616", "-0"][rng.randint(0, 6)] ?? "0";
    case 5:
      return ["null", "true", "{}", "[]", '""', '"F32"', '"F16"', '"BOOL"', '"I64"', '"Q4"'][rng.randint(0, 10)] ?? "null";
    case 6:
      return `[${rng.randint(0, 2 ** 20)},${rng.randint(0, 2 ** 20)}]`;
    case 7:
      return `[${"1,".repeat(big())}1]`;
    default:
      return `{"dtype":"F32","shape":[${rng.randint(0, 5)}],"data_offsets":[0,${4 * rng.randint(0, 5)}]}`;
  }
}

export function hostileName(rng: Generator): string {
  const names = ["__proto__", "constructor", "toString", "", "a\u0000b", "\ud800", "__metadata__", "w"];
  return rng.randint(0, 4) === 0 ? "n".repeat(2 ** rng.randint(4, 21)) : (names[rng.randint(0, names.length)] ?? "w");
}

function head(b: Uint8Array): string {
  return JSON.stringify(new TextDecoder().decode(b.subarray(0, 120)));
}

/** Runs `options.cases` cases against `target`. */
export function fuzz(target: FuzzTarget, options: FuzzOptions): FuzzReport {
  const { cases, seed, maxCaseMs = 2000, maxAllocRatio = 4, maxMessage = 600 } = options;
  const rng = new Generator(seed);
  const mutateBytes = (b: Uint8Array): Uint8Array => {
    let out = b;
    const n = rng.randint(1, 5);
    for (let k = 0; k < n; k++) out = mutateOnce(out, rng, target.seeds);
    return out;
  };
  const report: FuzzReport = {
    target: target.name,
    cases,
    accepted: 0,
    rejected: 0,
    findings: [],
    slowestMs: 0,
    largestRatio: 0,
    longestMessage: 0,
    knownLongMessages: 0,
    seconds: 0,
    peakRssMiB: 0,
  };
  const started = performance.now();
  for (let c = 0; c < cases; c++) {
    const base = target.seeds[rng.randint(0, target.seeds.length)] ?? new Uint8Array(0);
    const input = target.mutate !== undefined && rng.randint(0, 2) === 0 ? target.mutate(base, rng, mutateBytes) : mutateBytes(base);
    const t0 = performance.now();
    let held = 0;
    let error: unknown = null;
    try {
      held = target.run(input);
    } catch (err) {
      error = err;
    }
    const ms = performance.now() - t0;
    report.slowestMs = Math.max(report.slowestMs, ms);
    if (ms > maxCaseMs) report.findings.push({ kind: "hang", caseIndex: c, detail: `${ms.toFixed(0)} ms`, inputHead: head(input) });
    if (error === null) {
      report.accepted++;
      const ratio = held / Math.max(1, input.length);
      report.largestRatio = Math.max(report.largestRatio, ratio);
      if (ratio > maxAllocRatio) report.findings.push({ kind: "allocation", caseIndex: c, detail: `${held} bytes from ${input.length}`, inputHead: head(input) });
    } else {
      report.rejected++;
      const message = error instanceof Error ? error.message : String(error);
      if (!(message.length > maxMessage && target.knownLongMessages?.test(message) === true)) report.longestMessage = Math.max(report.longestMessage, message.length);
      if (!target.expected(error)) {
        const name = error instanceof Error ? error.constructor.name : typeof error;
        report.findings.push({ kind: "crash", caseIndex: c, detail: `${name}: ${message.slice(0, 300)}`, inputHead: head(input) });
      } else if (message.length > maxMessage && target.knownLongMessages?.test(message) === true) {
        report.knownLongMessages++;
      } else if (message.length > maxMessage) {
        report.findings.push({ kind: "message", caseIndex: c, detail: `${message.length} characters: ${message.slice(0, 200)}...`, inputHead: head(input) });
      }
    }
    if ((c & 1023) === 0) report.peakRssMiB = Math.max(report.peakRssMiB, process.memoryUsage.rss() / 2 ** 20);
  }
  report.seconds = (performance.now() - started) / 1000;
  report.peakRssMiB = Math.round(Math.max(report.peakRssMiB, process.memoryUsage.rss() / 2 ** 20));
  return report;
}

/** Command-line entry: `--cases N` (default 100000), `--seed S` (default 1). Exits 1 on any finding. */
export function main(target: FuzzTarget): void {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(name);
    const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`fuzz ${target.name}: ${name} must be a non-negative integer`);
    return v;
  };
  const report = fuzz(target, { cases: arg("--cases", 100_000), seed: arg("--seed", 1) });
  const { findings, ...summary } = report;
  console.log(JSON.stringify({ ...summary, findings: findings.length }));
  for (const f of findings.slice(0, 20)) console.log(JSON.stringify(f));
  process.exitCode = findings.length > 0 ? 1 : 0;
}
