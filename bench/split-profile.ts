// Where a training step's time goes with worker threads: inside the team's programs (the split
// kernels and their barriers) against everything the calling thread runs alone (the tensor
// layer, the loss, copies into and out of linear memory, unsplit kernels), and the optimiser's
// update and gradient clipping on their own. Thread counts alternate in one process, round by
// round, so that a shared machine's load falls on each alike; each number is the median of rounds.
//   node --conditions=source --import tsx bench/split-profile.ts [--workload W5|W1] [--rounds 7] [--steps 20] [--threads 1,2]
import { LSTM, Linear, SGD, clipGradNorm, createWasmBackend, crossEntropy, manualSeed, mseLoss, oneHot, setBackend, tensor, type Tensor } from "recurrent";
import { WasmBackend } from "../src/backends/wasm/backend.js";
import { SerialExecutor, type ProgramKernel } from "../src/backends/wasm/exec.js";
import { Team } from "../src/backends/wasm/team.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const workload = flag("--workload", "W5");
const rounds = Number(flag("--rounds", "7"));
const steps = Number(flag("--steps", "20"));
const threadCounts = flag("--threads", "1,2").split(",").map(Number);
if (workload !== "W1" && workload !== "W5") throw new Error(`bench/split-profile: --workload must be W1 or W5, got ${workload}`);
for (const [name, v] of [["--rounds", rounds], ["--steps", steps]] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`bench/split-profile: ${name} must be a positive integer, got ${v}`);
}

// Time inside Team.execute: the calling thread runs its own part there and waits for the others.
let teamMs = 0;
let teamRuns = 0;
const execute = Team.prototype.execute;
Team.prototype.execute = function (this: Team): void {
  const t0 = performance.now();
  execute.call(this);
  teamMs += performance.now() - t0;
  teamRuns++;
};

// Time inside the backend's calls (copies into and out of linear memory, and the kernels).
let backendMs = 0;
for (const name of ["recurrentForward", "recurrentBackward", "gemm"] as const) {
  const method = WasmBackend.prototype[name] as (this: WasmBackend, ...a: unknown[]) => unknown;
  (WasmBackend.prototype as unknown as Record<string, unknown>)[name] = function (this: WasmBackend, ...a: unknown[]): unknown {
    const t0 = performance.now();
    try {
      return method.apply(this, a);
    } finally {
      backendMs += performance.now() - t0;
    }
  };
}

// Kernels that run outside a team program (on a multi-threaded backend: calls below its
// minParallelWork), by kernel: time per call site on the calling thread alone.
const serialKernelMs = new Map<string, number>();
const serialCall = SerialExecutor.prototype.call;
SerialExecutor.prototype.call = function (this: SerialExecutor, part: number, kernel: ProgramKernel, ...a: number[]): void {
  const t0 = performance.now();
  serialCall.call(this, part, kernel, ...a);
  serialKernelMs.set(kernel, (serialKernelMs.get(kernel) ?? 0) + performance.now() - t0);
};

const w5 = workload === "W5";
const [T, B, I, H, O] = w5 ? [50, 64, 1, 64, 1] : [35, 32, 28, 256, 28];

interface Phases {
  total: number;
  backend: number;
  team: number;
  runs: number;
  optimiser: number;
  clip: number;
}

function model(threads: number): () => Phases {
  const backend = createWasmBackend({ threads });
  setBackend(backend);
  manualSeed(0);
  const lstm = new LSTM({ inputSize: I, hiddenSize: H });
  const dense = new Linear({ inFeatures: H, outFeatures: O });
  const params = [...lstm.parameters(), ...dense.parameters()];
  const opt = new SGD(params, { lr: 0.1 });
  const idx = Int32Array.from({ length: T * B }, (_, i) => (i * 7) % I);
  const x: Tensor = w5 ? tensor(Float32Array.from({ length: T * B }, (_, i) => Math.sin(i)), [T, B, 1]) : oneHot(idx, I, [T, B]);
  const y = tensor(Float32Array.from({ length: T * B }, (_, i) => Math.cos(i)), [T * B, 1]);
  const tgt = Int32Array.from({ length: T * B }, (_, i) => (i * 5) % O);
  return () => {
    setBackend(backend);
    const [team0, runs0, backend0] = [teamMs, teamRuns, backendMs];
    if (threads > 1) serialKernelMs.clear();
    const t0 = performance.now();
    opt.zeroGrad();
    const pred = dense.forward(lstm.forward(x)[0].reshape([T * B, H]));
    (w5 ? mseLoss(pred, y) : crossEntropy(pred, tgt)).backward();
    const t1 = performance.now();
    clipGradNorm(params, 1); // a norm that clips: the norm pass and the scaling pass both run
    const t2 = performance.now();
    opt.step();
    const t3 = performance.now();
    return { total: t3 - t0, backend: backendMs - backend0, team: teamMs - team0, runs: teamRuns - runs0, optimiser: t3 - t2, clip: t2 - t1 };
  };
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const stepFns = threadCounts.map((n) => [n, model(n)] as const);
const samples = new Map<number, Phases[]>(threadCounts.map((n) => [n, []]));
for (const [, fn] of stepFns) for (let i = 0; i < 3; i++) fn(); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [n, fn] of stepFns) {
    const sum: Phases = { total: 0, backend: 0, team: 0, runs: 0, optimiser: 0, clip: 0 };
    for (let s = 0; s < steps; s++) {
      const p = fn();
      for (const k of Object.keys(sum) as (keyof Phases)[]) sum[k] += p[k] / steps;
    }
    samples.get(n)!.push(sum);
  }
}
const one = samples.get(threadCounts[0]!)!.map((p) => p.total);
for (const [n, list] of samples) {
  const m = (k: keyof Phases): number => median(list.map((p) => p[k]));
  const ratios = list.map((p, i) => one[i]! / p.total);
  console.log(
    JSON.stringify({
      workload,
      threads: n,
      msPerStep: +m("total").toFixed(3),
      backendMs: +m("backend").toFixed(3),
      teamMs: +m("team").toFixed(3),
      backendOutsideTeamMs: +median(list.map((p) => p.backend - p.team)).toFixed(3),
      callerAloneMs: +median(list.map((p) => p.total - p.team)).toFixed(3),
      teamRunsPerStep: +m("runs").toFixed(1),
      sgdMs: +m("optimiser").toFixed(3),
      clipMs: +m("clip").toFixed(3),
      serialKernelsMsLastStep: n > 1 ? Object.fromEntries([...serialKernelMs].map(([k, v]) => [k, +v.toFixed(3)])) : undefined,
      speedupVsFirst: { min: +Math.min(...ratios).toFixed(3), median: +median(ratios).toFixed(3) },
    }),
  );
}
