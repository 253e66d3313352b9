// The optimiser update through the JavaScript loops against the wasm backend's fused kernels
// (Optimizer.useBackendKernels), A/B alternated in one process on one thread, in CPU time
// (process.cpuUsage), which other processes on a shared machine disturb less than wall time:
//   - the update alone: Adam over W7's parameters (the seq2seq GRU, ~1.3 M floats in ~20
//     tensors) and SGD over W1's (LSTM 256 on 28 inputs + dense 256→28), ms per step();
//   - whole training steps of W7 (Adam) and W1 (SGD), ms per step;
//   - clipGradNorm over W7's gradients, which stays JavaScript (see src/optim/clip.ts), for scale.
//   node --conditions=source --import tsx bench/optim.ts [rounds]
import { Adam, LSTM, Linear, SGD, Seq2Seq, clipGradNorm, createWasmBackend, crossEntropy, manualSeed, oneHot, setBackend, tensor, type Optimizer, type Tensor } from "recurrent";
import { WORKLOADS } from "./workloads.js";

const rounds = Number(process.argv[2] ?? 5);
setBackend(createWasmBackend({ threads: 1 }));
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const w7 = WORKLOADS.find((w) => w.id === "W7")!;
const spec = w7.seq2seq!;

function seq2seq(): Seq2Seq {
  manualSeed(0);
  return new Seq2Seq({ sourceVocab: spec.sourceVocab, targetVocab: w7.outputSize, embedSize: w7.inputSize, hiddenSize: w7.hiddenSize, numLayers: w7.numLayers, dropout: spec.dropout });
}

function w1(): { lstm: LSTM; dense: Linear } {
  manualSeed(0);
  return { lstm: new LSTM({ inputSize: 28, hiddenSize: 256 }), dense: new Linear({ inFeatures: 256, outFeatures: 28 }) };
}

/** Gives every parameter a fixed gradient, so that step() alone can be timed. */
function withGradients(params: Tensor[]): Tensor[] {
  for (const p of params) p.grad = tensor(Float32Array.from({ length: p.data.length }, (_, i) => Math.sin(i) * 1e-2), p.shape.slice());
  return params;
}

/** A step of one case under both paths: [JavaScript, fused]. */
type Case = [name: string, reps: number, build: () => [() => void, () => void]];

function updateOnly(make: () => Optimizer): [() => void, () => void] {
  const js = make();
  js.useBackendKernels = false;
  const fused = make();
  return [() => js.step(), () => fused.step()];
}

function w7Step(useKernels: boolean): () => void {
  const model = seq2seq();
  model.train();
  const { seqLen: T, batch: B } = w7;
  const lengths = Int32Array.from({ length: B }, (_, b) => 3 + (b % (T - 2)));
  const srcIds = tensor(Float32Array.from({ length: T * B }, (_, i) => 1 + (i % (spec.sourceVocab - 1))), [T, B]);
  const tgtIds = tensor(Float32Array.from({ length: T * B }, (_, i) => 1 + ((i * 7) % (w7.outputSize - 1))), [T, B]);
  const labels = Int32Array.from({ length: T * B }, (_, i) => (i * 5) % w7.outputSize);
  const opt = new Adam(model.parameters(), { lr: spec.lr });
  opt.useBackendKernels = useKernels;
  return () => {
    opt.zeroGrad();
    crossEntropy(model.forward(srcIds, lengths, tgtIds).reshape([T * B, w7.outputSize]), labels, { ignoreIndex: 0 }).backward();
    opt.step();
  };
}

function w1Step(useKernels: boolean): () => void {
  const { lstm, dense } = w1();
  const [T, B] = [35, 32];
  const x = oneHot(Int32Array.from({ length: T * B }, (_, i) => (i * 7) % 28), 28, [T, B]);
  const tgt = Int32Array.from({ length: T * B }, (_, i) => (i * 5) % 28);
  const opt = new SGD([...lstm.parameters(), ...dense.parameters()], { lr: 0.1 });
  opt.useBackendKernels = useKernels;
  return () => {
    opt.zeroGrad();
    crossEntropy(dense.forward(lstm.forward(x)[0].reshape([T * B, 256])), tgt).backward();
    opt.step();
  };
}

const cases: Case[] = [
  ["Adam update, W7 params", 20, () => updateOnly(() => new Adam(withGradients(seq2seq().parameters()), { lr: spec.lr }))],
  ["SGD update, W1 params", 50, () => updateOnly(() => { const { lstm, dense } = w1(); return new SGD(withGradients([...lstm.parameters(), ...dense.parameters()]), { lr: 0.1 }); })],
  ["SGD+momentum, W1 params", 50, () => updateOnly(() => { const { lstm, dense } = w1(); return new SGD(withGradients([...lstm.parameters(), ...dense.parameters()]), { lr: 0.1, momentum: 0.9 }); })],
  ["W7 step (Adam)", 5, () => [w7Step(false), w7Step(true)]],
  ["W1 step (SGD)", 5, () => [w1Step(false), w1Step(true)]],
];

const sizes = seq2seq().parameters().map((p) => p.data.length);
console.log(`node ${process.version}, ${rounds} alternating rounds, best CPU ms per call; W7: ${sizes.reduce((a, b) => a + b, 0)} floats in ${sizes.length} tensors`);
for (const [name, reps, build] of cases) {
  const steps = build();
  for (const s of steps) s();
  const best = [Infinity, Infinity];
  for (let r = 0; r < rounds; r++) {
    steps.forEach((s, v) => {
      const t0 = cpuMs();
      for (let i = 0; i < reps; i++) s();
      best[v] = Math.min(best[v]!, (cpuMs() - t0) / reps);
    });
  }
  console.log(`${name.padEnd(24)} js ${best[0]!.toFixed(3).padStart(9)} ms   fused ${best[1]!.toFixed(3).padStart(9)} ms   fused/js ${(best[1]! / best[0]!).toFixed(3)}`);
}

{
  const params = withGradients(seq2seq().parameters());
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuMs();
    for (let i = 0; i < 20; i++) clipGradNorm(params, 1);
    best = Math.min(best, (cpuMs() - t0) / 20);
  }
  console.log(`${"clipGradNorm, W7 grads".padEnd(24)} js ${best.toFixed(3).padStart(9)} ms`);
}
