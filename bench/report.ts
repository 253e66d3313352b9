/**
 * The side-by-side table of bench/run.ts. Ratios are oriented so that > 1 always means ours is
 * better: ours / peer for throughput, peer / ours for latency (ms/seq).
 */
import type { MachineInfo } from "./machine.js";
import type { BenchMeta, BenchResult, BenchSkip } from "./result.js";
import { flopsPerStep, type Workload } from "./workloads.js";

/** Value columns, in order. */
export const VALUE_COLUMNS = ["ours", "ours-2t", "torch-1t", "torch-2t", "tfjs-wasm", "tfjs-cpu"] as const;
/** Peers that get an ours/peer ratio column. */
export const RATIO_COLUMNS = ["torch-1t", "torch-2t", "tfjs-wasm"] as const;

/** The columns of `npm run bench`'s table. */
export const NODE_COLUMNS: TableColumns = { values: VALUE_COLUMNS, ratios: RATIO_COLUMNS, efficiency: ["ours", "ours-2t", "torch-1t", "torch-2t"], pairs: [["ours-2t", "torch-2t"]] };

/** Cells timed over fewer steps than this are marked with `*`. */
export const FEW_STEPS = 3;
/** Cells whose runner got less than this share of a core while timed are marked with `~`. */
export const CONTENDED_SHARE = 0.9;

export interface Report {
  machine: MachineInfo;
  workloads: readonly Workload[];
  results: readonly BenchResult[];
  metas: readonly BenchMeta[];
  skips: readonly BenchSkip[];
  /** Runners that did not run or stopped early, with the reason ("not run: ...", "stopped early: ..."). */
  missing: readonly { peer: string; reason: string }[];
  /** The table's runner columns when they are not the Node table's (bench/browser); default NODE_COLUMNS. */
  columns?: TableColumns;
  /** Lines printed under the machine line, before the runners' settings (the browser's version). */
  header?: readonly string[];
}

/** Which runners get a value, a ratio (ours/peer) and an efficiency column, in order. */
export interface TableColumns {
  values: readonly string[];
  ratios: readonly string[];
  efficiency: readonly string[];
  /** Extra ratio columns [mine, theirs] shown as `mine/theirs`, e.g. ours-2t against torch-2t. */
  pairs: readonly (readonly [string, string])[];
}

/** How many times better ours is than the peer (> 1: ours wins), whatever the metric's direction. */
export function speedRatio(ours: BenchResult, peer: BenchResult): number {
  return ours.higherIsBetter ? ours.value / peer.value : peer.value / ours.value;
}

/** Four significant digits, no exponent for the magnitudes a benchmark produces. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toString();
  if (abs === 0) return "0";
  const decimals = Math.max(0, 3 - Math.floor(Math.log10(abs)));
  return v.toFixed(decimals);
}

export function formatRatio(r: number): string {
  return `${r.toFixed(2)}x`;
}

function find(results: readonly BenchResult[], peer: string, workload: string): BenchResult | undefined {
  return results.find((r) => r.peer === peer && r.workload === workload);
}

function fewSteps(r: BenchResult): boolean {
  return r.steps !== undefined && r.steps < FEW_STEPS;
}

function contended(r: BenchResult): boolean {
  return r.cpuShare !== undefined && r.cpuShare < CONTENDED_SHARE;
}

function cell(r: BenchResult | undefined): string {
  if (r === undefined) return "n/a";
  return `${formatValue(r.value)}${fewSteps(r) ? "*" : ""}${contended(r) ? "~" : ""}`;
}

/** Left-aligns text columns and right-aligns the rest. */
function renderGrid(header: string[], rows: string[][], textColumns: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < textColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function renderTable(report: Report): string {
  const { machine, workloads, results } = report;
  const columns = report.columns ?? NODE_COLUMNS;
  const pairs = [...columns.ratios.map((p) => ["ours", p] as const), ...columns.pairs];
  const header = ["workload", "metric", ...columns.values, ...pairs.map(([a, b]) => `${a}/${b}`)];
  const rows = workloads.map((w) => {
    const ratios = pairs.map(([a, b]) => {
      const mine = find(results, a, w.id);
      const peer = find(results, b, w.id);
      return mine && peer ? formatRatio(speedRatio(mine, peer)) : "n/a";
    });
    const metric = `${w.metric} ${w.higherIsBetter ? "(higher better)" : "(lower better)"}`;
    return [w.id, metric, ...columns.values.map((p) => cell(find(results, p, w.id))), ...ratios];
  });

  const out: string[] = [];
  out.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.os}, load ${machine.load1} at start`);
  for (const line of report.header ?? []) out.push(line);
  for (const m of report.metas) out.push(`  ${m.peer}: ${Object.entries(m.meta).map(([k, v]) => `${k}=${v}`).join(", ")}`);
  out.push("");
  out.push("Ratio columns: how many times better ours is (> 1 = ours better). Throughput rows: ours/peer; the latency row (ms/seq): peer/ours.");
  out.push(renderGrid(header, rows, 2));

  const rss = columns.values.map((p) => {
    const r = find(results, p, "W1");
    return `${p} ${r?.peakRssMiB === undefined ? "n/a" : Math.round(r.peakRssMiB)}`;
  });
  if (workloads.some((w) => w.id === "W1") && results.some((r) => r.peakRssMiB !== undefined)) out.push("", `Peak RSS during W1, MiB (whole process, runtime included): ${rss.join(", ")}`);

  out.push("", ...renderEfficiency(report, columns.efficiency));

  const notes: string[] = [];
  if (results.some(fewSteps)) notes.push(`* median of fewer than ${FEW_STEPS} timed steps (the slow tfjs-cpu training cells are capped at 2).`);
  const busy = results.filter(contended);
  if (busy.length > 0) {
    const list = busy.map((r) => `${r.peer} ${r.workload} ${(r.cpuShare ?? 0).toFixed(2)}`).join(", ");
    notes.push(`~ the runner got less than ${CONTENDED_SHARE} of a core while timed (other processes competed), so the number is pessimistic: ${list}`);
  }
  for (const m of report.missing) notes.push(`${m.peer}: ${m.reason}`);
  for (const s of report.skips) notes.push(`${s.peer} ${s.workload}: failed: ${s.error}`);
  if (notes.length > 0) out.push("", ...notes);
  out.push("", "Workloads:", ...workloads.map((w) => `  ${w.id.padEnd(9)} ${w.title}`));
  return out.join("\n");
}

/** Runners with an efficiency column, when they report a GEMM peak (bench/ours.ts, peers/torch_bench.py). */
export const EFFICIENCY_COLUMNS = ["ours", "ours-2t", "torch-1t", "torch-2t"] as const;

/** A runner's GEMM peak in GFLOP/s from its meta line, or null. */
function gemmPeak(metas: readonly BenchMeta[], peer: string): number | null {
  const v = Number(metas.find((m) => m.peer === peer)?.meta.gemmPeakGflops);
  return Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * The efficiency table: each workload's achieved GFLOP/s (flopsPerStep over the median step) and
 * its share of the same runner's GEMM peak measured in the same run.
 */
export function renderEfficiency(report: Pick<Report, "workloads" | "results" | "metas">, runners: readonly string[] = EFFICIENCY_COLUMNS): string[] {
  const peaks = runners.map((p) => gemmPeak(report.metas, p));
  const header = ["workload", "GFLOP/step", ...runners.map((p) => `${p} GFLOP/s (% peak)`)];
  const rows = report.workloads.map((w) => {
    const flops = flopsPerStep(w);
    const cells = runners.map((p, i) => {
      const r = find(report.results, p, w.id);
      if (r?.medianMs === undefined) return "n/a";
      const achieved = flops / (r.medianMs / 1000) / 1e9;
      const peak = peaks[i]!;
      return `${achieved.toFixed(1)}${peak === null ? "" : ` (${Math.round((100 * achieved) / peak)}%)`}`;
    });
    return [w.id, (flops / 1e9).toFixed(3), ...cells];
  });
  const peakLine = runners.map((p, i) => `${p} ${peaks[i] === null ? "n/a" : peaks[i]!.toFixed(1)}`).join(", ");
  return [
    `Efficiency: achieved GFLOP/s per workload (bench/workloads.ts flopsPerStep over the median step) and its share of the runner's GEMM peak, (1024, 1024)·(1024, 1024), measured in this run: ${peakLine} GFLOP/s.`,
    renderGrid(header, rows, 1),
  ];
}
