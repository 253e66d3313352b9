/**
 * The command line of bench/browser/run.ts, which pages it opens, in order, and the table columns
 * they fill. Pure, so the tests check the plan without a browser.
 */
import { parseBenchArgs, type BenchOptions, type PeerName } from "../options.js";
import type { TableColumns } from "../report.js";
import { selectWorkloads, type Workload } from "../workloads.js";
import { BROWSER_WORKLOADS, WHERES, peerName, type PageJob, type PageRunner, type Where } from "./protocol.js";

/** The TF.js backends to run: the requested ones, or both. Torch has no browser build. */
export function browserPeers(peers: readonly PeerName[] | null): PageRunner[] {
  if (peers === null) return ["tfjs-wasm", "tfjs-cpu"];
  const torch = peers.filter((p) => p.startsWith("torch"));
  if (torch.length > 0) throw new Error(`--peers: ${torch.join(", ")}: PyTorch runs only in Node (npm run bench); the browser benchmark compares with tfjs-wasm and tfjs-cpu`);
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

/** The command line of npm run bench:browser, with the workloads it selects. */
export interface BrowserArgs {
  options: BenchOptions;
  where: Where;
  workloads: Workload[];
}

/**
 * Parses `npm run bench:browser`'s arguments: npm run bench's flags, plus `--where worker|main` and
 * `--peers none`. Throws naming the flag on bad input.
 */
export function parseBrowserArgs(argv: readonly string[]): BrowserArgs {
  // --where is the browser's own flag; the rest are npm run bench's.
  const rest = argv.flatMap((a) => (/^--(where|peers)=/.test(a) ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a]));
  let where: Where = "worker";
  const at = rest.indexOf("--where");
  if (at >= 0) {
    where = parseWhere(rest[at + 1]);
    rest.splice(at, 2);
  }
  // `--peers none`: ours only (npm run bench's parser knows only peer names).
  const none = rest.findIndex((a, i) => a === "--peers" && rest[i + 1] === "none");
  if (none >= 0) rest.splice(none, 2);
  const options = parseBenchArgs(rest);
  if (none >= 0) {
    if (options.peers !== null) throw new Error("--peers: none cannot be combined with another --peers");
    options.peers = [];
  }
  if (options.backend !== null && options.backend !== "wasm") throw new Error(`--backend: the browser benchmark runs ours on the wasm backend only, got "${options.backend}"`);
  browserPeers(options.peers);
  return { options, where, workloads: selectWorkloads(options.only ?? BROWSER_WORKLOADS) };
}
