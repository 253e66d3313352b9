/**
 * How bench/run.ts starts each runner: ours and every peer run as a child process, one after
 * the other, so that no two compete for the cores and each one's memory is its own.
 */
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { PEER_NAMES, type PeerName } from "./options.js";

const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(benchDir, "..");

/**
 * The interpreter for the torch rows: Debian's, which has python3-torch (the pyenv python3 on
 * PATH has none), unless BENCH_TORCH_PYTHON names another one (e.g. a venv with a PyPI wheel).
 */
export const TORCH_PYTHON = process.env.BENCH_TORCH_PYTHON ?? "/usr/bin/python3";

/** Our runners: the wasm backend on one thread ("ours") and on two worker threads ("ours-2t"). */
export type OursName = "ours" | "ours-2t";
export type RunnerName = OursName | PeerName;

export interface RunnerCommand {
  name: RunnerName;
  command: string;
  args: string[];
  /** Extra environment on top of this process's. */
  env: Record<string, string>;
}

function nodeScript(name: RunnerName, script: string, args: string[]): RunnerCommand {
  return { name, command: process.execPath, args: ["--conditions=source", "--import", "tsx", join(benchDir, script), ...args], env: {} };
}

/**
 * The command for one runner given the shared measurement flags. Torch gets OMP_WAIT_POLICY=PASSIVE
 * because spinning OpenMP workers make timings unstable on a 2-core machine, and OMP_NUM_THREADS
 * equal to torch.set_num_threads so that OpenMP and ATen agree.
 */
export function runnerCommand(name: RunnerName, measureArgs: string[], backend: string | null): RunnerCommand {
  switch (name) {
    case "ours":
    case "ours-2t": {
      const extra = backend === null ? [] : ["--backend", backend];
      extra.push("--threads", String(name === "ours-2t" ? 2 : 1));
      return nodeScript(name, "ours.ts", [...measureArgs, ...extra]);
    }
    case "torch-1t":
    case "torch-2t": {
      const n = name === "torch-1t" ? 1 : 2;
      return { name, command: TORCH_PYTHON, args: [join(benchDir, "peers", "torch_bench.py"), "--threads", String(n), ...measureArgs], env: { OMP_NUM_THREADS: String(n), OMP_WAIT_POLICY: "PASSIVE" } };
    }
    case "tfjs-wasm":
      return nodeScript(name, join("peers", "tfjs.ts"), ["--backend", "wasm", ...measureArgs]);
    case "tfjs-cpu":
      return nodeScript(name, join("peers", "tfjs.ts"), ["--backend", "cpu", ...measureArgs]);
  }
}

/** Null when the peer can run here, else why not. */
export function peerMissing(name: PeerName): string | null {
  if (name === "torch-1t" || name === "torch-2t") {
    const r = spawnSync(TORCH_PYTHON, ["-c", "import torch"], { stdio: "ignore" });
    return r.status === 0 ? null : `${TORCH_PYTHON} -c "import torch" failed (install Debian's python3-torch)`;
  }
  const pkg = name === "tfjs-wasm" ? "@tensorflow/tfjs-backend-wasm" : "@tensorflow/tfjs";
  try {
    createRequire(import.meta.url).resolve(pkg);
    return null;
  } catch {
    return `${pkg} is not installed`;
  }
}

/** Peers to run: the requested ones (or all), each with the reason it is missing, if it is. */
export function planPeers(requested: PeerName[] | null): { name: PeerName; missing: string | null }[] {
  const names = requested ?? [...PEER_NAMES];
  return names.map((name) => ({ name, missing: peerMissing(name) }));
}

export interface RunnerExit {
  code: number | null;
  signal: string | null;
  /** Last lines the runner wrote on stderr, for the failure message. */
  stderrTail: string[];
  timedOut: boolean;
}

const STDERR_TAIL_LINES = 20;

/** Starts a runner, hands each stdout line to `onLine`, and resolves when it exits or times out. */
export function runRunner(cmd: RunnerCommand, timeoutMs: number, onLine: (line: string) => void): Promise<RunnerExit> {
  return new Promise((resolve) => {
    const child = spawn(cmd.command, cmd.args, { cwd: repoRoot, env: { ...process.env, ...cmd.env }, stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    createInterface({ input: child.stdout }).on("line", onLine);
    createInterface({ input: child.stderr }).on("line", (line) => {
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
    });
    child.on("error", (e) => {
      tail.push(e.message);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderrTail: tail, timedOut });
    });
  });
}

/**
 * A generous time limit for one runner, so that a hung child cannot stall the whole run:
 * per workload, twice the window plus two minutes for model building, warm-up and slow steps.
 */
export function runnerTimeoutMs(workloads: number, windowS: number): number {
  return workloads * (2 * windowS + 120) * 1000;
}

/** Explains a runner that produced no results, naming the likely cause. */
export function failureReason(name: RunnerName, exit: RunnerExit): string {
  if (exit.timedOut) return "timed out and was stopped";
  const text = exit.stderrTail.join("\n");
  if (name === "ours" && /does not provide an export named|Cannot find (module|package)|ERR_MODULE_NOT_FOUND|is not a constructor|is not a function/.test(text)) {
    const line = exit.stderrTail.find((l) => /SyntaxError|Error/.test(l)) ?? exit.stderrTail[exit.stderrTail.length - 1] ?? "";
    return `importing "recurrent" failed, so ours is skipped (the API bench/ours.ts uses is not all there yet): ${line.trim()}`;
  }
  const last = exit.stderrTail.filter((l) => l.trim().length > 0).slice(-3).join(" | ");
  return `exited with ${exit.signal ?? `code ${exit.code}`}${last ? `: ${last}` : ""}`;
}
