/** One pass over data without gradients, in eval mode: validation inside fit, and evaluate. */
import { noGrad } from "../autograd/mode.js";
import type { Module } from "../nn/module.js";
import { epochBatches, type DataInput } from "./data-source.js";
import { LossMetric, type Metric } from "./metric.js";
import { record, type StepFn } from "./step.js";
import { nextMacrotask } from "./yield.js";
import { regularizationLoss } from "./layer-hooks.js";

/** Runs one pass over `data` without gradients and returns the metrics (loss first), named with `prefix`. */
export async function evaluateBatches<B, S>(
  model: Module,
  data: DataInput<B>,
  step: StepFn<B, S>,
  metrics: readonly Metric[],
  prefix: string,
  signal: AbortSignal | undefined,
): Promise<{ logs: Record<string, number>; aborted: boolean }> {
  const all: Metric[] = [new LossMetric(), ...metrics];
  for (const m of all) m.reset();
  const wasTraining = model.training;
  model.eval();
  let state: S | null = null;
  let batchNo = 0;
  let aborted = false;
  try {
    for await (const batch of epochBatches(data, 1)) {
      if (signal?.aborted === true) {
        aborted = true;
        break;
      }
      batchNo += 1;
      const out = noGrad(() => step({ model, optimizer: undefined, epoch: 1, batch: batchNo, state, training: false }, batch));
      state = out.state ?? null;
      // As in Keras, the evaluated loss includes the layers' penalties, as the trained one does.
      const penalty = noGrad(() => regularizationLoss(model));
      const rec = record(out, out.loss.item() + (penalty === null ? 0 : penalty.item()));
      for (const m of all) m.update(rec);
      await nextMacrotask();
    }
  } finally {
    model.train(wasTraining);
  }
  const logs: Record<string, number> = {};
  for (const m of all) logs[`${prefix}${m.name}`] = m.result();
  return { logs, aborted };
}
