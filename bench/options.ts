/**
 * Command-line options of bench/run.ts and of the runners it starts (bench/ours.ts,
 * bench/peers/tfjs.ts; peers/torch_bench.py reads the same measurement flags).
 */
import { parseArgs } from "node:util";
import { DEFAULT_MEASURE, type MeasureOptions } from "./measure.js";

/** The peers bench/run.ts knows how to start, in table order. */
export const PEER_NAMES = ["torch-1t", "torch-2t", "tfjs-wasm", "tfjs-cpu"] as const;
export type PeerName = (typeof PEER_NAMES)[number];

/** Window used by `--quick`: about one second per cell, for a smoke run. */
export const QUICK_WINDOW_S = 1;

export interface BenchOptions {
  /** Timing protocol; `--window`, `--warmup`, `--min-steps`, `--max-steps`. Defaults: DEFAULT_MEASURE, window 1 s with `--quick`. */
  measure: MeasureOptions;
  /** Workload ids or groups from `--only W1,W4`; null runs all. */
  only: string[] | null;
  /** Peers from `--peers torch-1t,tfjs-wasm` (`torch` means both torch rows); null means every peer present. */
  peers: PeerName[] | null;
  /** Worker threads for our wasm backend from `--threads 1,2`; empty when not given. */
  threads: number[];
  /** Backend name from `--backend`; null when not given (each runner has its own default). */
  backend: string | null;
  /** `--json`: print JSON lines instead of the table. Default false. */
  json: boolean;
  /** `--quick` was given. Default false. */
  quick: boolean;
  /** `--help` was given. */
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]
  --quick                 short windows (~${QUICK_WINDOW_S} s per cell) for a smoke run
  --json                  print JSON lines instead of the table
  --only W1,W4            run only these workloads (ids or groups: W1, W2, W2-gru, ...)
  --peers torch,tfjs-wasm peers to compare with: ${PEER_NAMES.join(", ")}, or torch / tfjs for both rows (default: all present)
  --backend wasm|reference  our backend (default wasm)
  --threads 1,2           run ours on 1 and/or 2 wasm worker threads (default: both)
  --window S              seconds of timed steps per cell (default ${DEFAULT_MEASURE.windowS})
  --warmup N              untimed steps before timing (default ${DEFAULT_MEASURE.warmup})
  --min-steps N           timed steps even past the window (default ${DEFAULT_MEASURE.minSteps})
  --max-steps N           cap on timed steps (default none)`;

/** Parses argv (without node and script). Throws with a message naming the flag on bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      only: { type: "string" },
      peers: { type: "string" },
      threads: { type: "string" },
      backend: { type: "string" },
      window: { type: "string" },
      warmup: { type: "string" },
      "min-steps": { type: "string" },
      "max-steps": { type: "string" },
    },
  });
  const quick = values.quick ?? false;
  const measure: MeasureOptions = {
    windowS: values.window === undefined ? (quick ? QUICK_WINDOW_S : DEFAULT_MEASURE.windowS) : positiveNumber("--window", values.window),
    warmup: values.warmup === undefined ? DEFAULT_MEASURE.warmup : count("--warmup", values.warmup, 0),
    minSteps: values["min-steps"] === undefined ? DEFAULT_MEASURE.minSteps : count("--min-steps", values["min-steps"], 1),
    maxSteps: values["max-steps"] === undefined ? DEFAULT_MEASURE.maxSteps : count("--max-steps", values["max-steps"], 1),
  };
  return {
    measure,
    only: values.only === undefined ? null : list("--only", values.only),
    peers: values.peers === undefined ? null : parsePeers(values.peers),
    threads: values.threads === undefined ? [] : list("--threads", values.threads).map((t) => count("--threads", t, 1)),
    backend: values.backend ?? null,
    json: values.json ?? false,
    quick,
    help: values.help ?? false,
  };
}

/** The measurement and selection flags a runner child process needs, as argv. */
export function runnerArgs(options: BenchOptions): string[] {
  const m = options.measure;
  const args = ["--window", String(m.windowS), "--warmup", String(m.warmup), "--min-steps", String(m.minSteps)];
  if (Number.isFinite(m.maxSteps)) args.push("--max-steps", String(m.maxSteps));
  if (options.only !== null) args.push("--only", options.only.join(","));
  return args;
}

function parsePeers(text: string): PeerName[] {
  const out: PeerName[] = [];
  for (const name of list("--peers", text)) {
    const expanded = PEER_NAMES.filter((p) => p === name || p.startsWith(`${name}-`));
    if (expanded.length === 0) throw new Error(`bench: --peers names an unknown peer "${name}"; known: ${PEER_NAMES.join(", ")}, torch, tfjs`);
    for (const p of expanded) if (!out.includes(p)) out.push(p);
  }
  return PEER_NAMES.filter((p) => out.includes(p));
}

function list(flag: string, text: string): string[] {
  const items = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new Error(`bench: ${flag} expects a comma-separated list, got "${text}"`);
  return items;
}

function positiveNumber(flag: string, text: string): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`bench: ${flag} must be a positive number of seconds, got "${text}"`);
  return v;
}

function count(flag: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) throw new Error(`bench: ${flag} must be an integer >= ${min}, got "${text}"`);
  return v;
}
