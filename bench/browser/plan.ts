/**
 * Which pages bench/browser/run.ts opens, in order, and the table columns they fill. Pure, so
 * the tests check the plan without a browser.
 */
import type { BenchOptions, PeerName } from "../options.js";
import type { TableColumns } from "../report.js";
import { WHERES, peerName, type PageJob, type PageRunner, type Where } from "./protocol.js";

/** The TF.js backends to run: the requested ones, or both. Torch has no browser build. */
export function browserPeers(peers: readonly PeerName[] | null): PageRunner[] {
  if (peers === null) return ["tfjs-wasm", "tfjs-cpu"];
  const torch = peers.filter((p) => p.startsWith("torch"));
  if (torch.length > 0) throw new Error(`--peers: ${torch.join(", ")} runs only in Node (npm run bench); the browser benchmark compares with tfjs-wasm and tfjs-cpu`);
  return peers.filter((p): p is "tfjs-wasm" | "tfjs-cpu" => p === "tfjs-wasm" || p === "tfjs-cpu");
}

/** Reads `--where`'s value. */
export function parseWhere(value: string | undefined): Where {
  const found = WHERES.find((w) => w === value);
  if (found === undefined) throw new Error(`--where must be ${WHERES.join(" or ")}, got ${value === undefined ? "nothing" : `"${value}"`}`);
  return found;
}

/**
 * One job per runner: ours on each of `--threads` (default 1 and every core the browser
 * reports), then each TF.js backend (wasm on every core, as a TF.js user in a cross-origin
 * isolated page gets with setThreadsCount).
 */
export function browserJobs(options: Pick<BenchOptions, "measure" | "only" | "peers" | "threads">, where: Where, cores: number): PageJob[] {
  const threads = options.threads.length > 0 ? options.threads : [1, Math.max(1, cores)];
  const base = { where, measure: options.measure, only: options.only };
  const jobs: PageJob[] = [...new Set(threads)].map((t) => ({ runner: "ours", threads: t, ...base }));
  for (const runner of browserPeers(options.peers)) jobs.push({ runner, threads: runner === "tfjs-wasm" ? Math.max(1, cores) : 1, ...base });
  return jobs;
}

/**
 * The table's columns for these jobs: a value column per runner; ours against each TF.js backend;
 * ours on the most threads against TF.js wasm on its threads; efficiency for ours.
 */
export function browserColumns(jobs: readonly PageJob[]): TableColumns {
  const ours = jobs.filter((j) => j.runner === "ours").map(peerName);
  const peers = jobs.filter((j) => j.runner !== "ours").map(peerName);
  const most = jobs.filter((j) => j.runner === "ours" && j.threads > 1).sort((a, b) => b.threads - a.threads)[0];
  const pairs: [string, string][] = most !== undefined && peers.includes("tfjs-wasm") ? [[peerName(most), "tfjs-wasm"]] : [];
  return { values: [...ours, ...peers], ratios: ours.includes("ours") ? peers : [], efficiency: ours, pairs };
}
