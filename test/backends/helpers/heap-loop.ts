// Child process of heap.test.ts: a training loop on a tiny LSTM that never yields to the event
// loop, printing the heap after garbage collection (bytes) at a few checkpoints as JSON.
//   node --expose-gc --conditions=source --import tsx test/backends/helpers/heap-loop.ts <steps>
import { LSTM, Tensor, SGD, setBackend } from "recurrent";

const steps = Number(process.argv[2] ?? "100000");
setBackend(process.env["RECURRENT_BACKEND"] ?? "wasm");
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("heap-loop: run node with --expose-gc");
const lstm = new LSTM({ inputSize: 2, hiddenSize: 4 });
const opt = new SGD(lstm.parameters(), { lr: 0.01 });
const x = new Tensor(Float32Array.from([0.1, -0.2, 0.3, 0.4, -0.5, 0.6]), [3, 1, 2]);
const heap: number[] = [];
const checkpoints = new Set([Math.floor(steps / 10), Math.floor(steps / 2), steps]);
for (let i = 1; i <= steps; i++) {
  opt.zeroGrad();
  const [out] = lstm.forward(x);
  out.sum().backward();
  opt.step();
  if (checkpoints.has(i)) {
    gc();
    heap.push(process.memoryUsage().heapUsed);
  }
}
console.log(JSON.stringify({ heap }));
