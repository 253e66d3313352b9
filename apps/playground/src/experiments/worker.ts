/**
 * The experiments' worker. The long-range memory experiment: tanh RNN, LSTM and GRU learn the
 * adding problem (two marked numbers among T, their sum at the end) with the memory task's
 * settings, reporting the test MSE per epoch and ‖∂L/∂h_t‖ over t before and after training.
 */
import { Adam, MEMORY_DEFAULTS, MemoryModel, addingProblem, fitLoop, hiddenGradNorms, loadWasmBackend, manualSeed, mseLoss, setBackend, tensorLoader, type TensorBatch } from "recurrent";
import type { FromExperiments, MemoryRequest, ToExperiments } from "./protocol.js";

let controller: AbortController | null = null;
const ready = loadWasmBackend().then(setBackend);

function post(msg: FromExperiments): void {
  self.postMessage(msg);
}

async function memory(req: MemoryRequest, signal: AbortSignal): Promise<void> {
  await ready;
  const started = performance.now();
  const d = MEMORY_DEFAULTS;
  const train = addingProblem(d.trainSize / 2, req.length, d.seed + 1);
  const test = addingProblem(d.testSize / 2, req.length, d.seed + 2);
  const probeX = test.x.slice(0, 0, 50);
  const probeY = (test.y ?? test.x).slice(0, 0, 50);
  for (const cell of req.cells) {
    manualSeed(d.seed);
    const model = new MemoryModel(cell, d.hiddenSize);
    post({ type: "gradients", cell, when: "init", norms: Array.from(hiddenGradNorms(model, probeX, probeY)) });
    const history = await fitLoop(model, {
      data: tensorLoader(train, { batchSize: d.batchSize, shuffle: true, seed: d.seed }),
      validationData: tensorLoader(test, { batchSize: 250 }),
      epochs: req.epochs,
      optimizer: new Adam(model.parameters(), { lr: d.lr }),
      trainStep: (_ctx, b: TensorBatch) => {
        if (b.y === undefined) throw new Error("memory experiment: a batch without targets");
        const output = model.forward(b.x);
        return { loss: mseLoss(output, b.y), output, target: b.y };
      },
      clipNorm: d.clip,
      countUnit: "sequences",
      signal,
      callbacks: [{ onEpochEnd: (epoch, logs) => post({ type: "curve", cell, epoch, testMse: logs["val_loss"] ?? NaN }) }],
    });
    if (history.aborted) {
      post({ type: "done", seconds: (performance.now() - started) / 1000, aborted: true });
      return;
    }
    post({ type: "gradients", cell, when: "trained", norms: Array.from(hiddenGradNorms(model, probeX, probeY)) });
  }
  post({ type: "done", seconds: (performance.now() - started) / 1000, aborted: false });
}

self.onmessage = (e: MessageEvent<ToExperiments>) => {
  const msg = e.data;
  if (msg.type === "stop") {
    controller?.abort();
    return;
  }
  controller?.abort();
  const c = new AbortController();
  controller = c;
  memory(msg, c.signal).catch((err: unknown) => post({ type: "error", message: err instanceof Error ? err.message : String(err) }));
};
