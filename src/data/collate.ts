/**
 * Collate functions: a list of examples to one batch. `stackCollate` stacks TensorDataset rows
 * into `{ x, y }` tensors with the batch first. `padCollate` pads variable-length sequences to
 * the longest one in the batch and returns their lengths, so that a model (or a loss) can
 * ignore the padding.
 */
import { Tensor } from "../tensor/tensor.js";
import type { SequenceExample, TensorExample } from "./dataset.js";

/** A batch of stacked rows: x (B, ...), and y (B, ...) when the dataset has targets. */
export interface TensorBatch {
  x: Tensor;
  y?: Tensor;
}

function stack(where: string, rows: readonly Float32Array[], shape: readonly number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(rows.length * size);
  rows.forEach((r, i) => {
    if (r.length !== size) throw new Error(`${where}: example ${i} has ${r.length} values, expected ${size}`);
    data.set(r, i * size);
  });
  return new Tensor(data, [rows.length, ...shape]);
}

/** Stacks rows of a TensorDataset. */
export function stackCollate(examples: readonly TensorExample[]): TensorBatch {
  if (examples.length === 0) throw new Error("stackCollate: needs at least one example");
  const first = examples[0]!;
  const batch: TensorBatch = { x: stack("stackCollate", examples.map((e) => e.x), first.xShape) };
  if (first.y !== undefined && first.yShape !== undefined) {
    const ys = examples.map((e, i) => {
      if (e.y === undefined) throw new Error(`stackCollate: example ${i} has no target but example 0 has one`);
      return e.y;
    });
    batch.y = stack("stackCollate", ys, first.yShape);
  }
  return batch;
}

/** A batch of padded sequences. */
export interface PaddedBatch {
  /** Inputs padded to the longest sequence: (B, T, F) batch-first, or (T, B, F) with timeMajor. */
  x: Tensor;
  /** Targets stacked: (B, K). */
  y: Tensor;
  /** Each sequence's true length, in batch order. */
  lengths: Int32Array;
}

export interface PadCollateOptions {
  /** Value written into padded steps. Default 0. */
  padValue?: number;
  /** Lay x out as (T, B, F), the recurrent layers' default, instead of (B, T, F). Default false. */
  timeMajor?: boolean;
}

/** A collate that pads sequences to the batch's longest and returns their lengths; see PaddedBatch. */
export function padCollate(opts: PadCollateOptions = {}): (examples: readonly SequenceExample[]) => PaddedBatch {
  const pad = opts.padValue ?? 0;
  return (examples) => {
    if (examples.length === 0) throw new Error("padCollate: needs at least one example");
    const B = examples.length;
    const F = examples[0]!.features;
    const T = Math.max(...examples.map((e) => e.steps));
    const x = new Float32Array(B * T * F).fill(pad);
    const lengths = new Int32Array(B);
    examples.forEach((e, b) => {
      if (e.features !== F) throw new Error(`padCollate: example ${b} has ${e.features} features but example 0 has ${F}`);
      lengths[b] = e.steps;
      for (let t = 0; t < e.steps; t++) {
        const at = opts.timeMajor === true ? (t * B + b) * F : (b * T + t) * F;
        x.set(e.x.subarray(t * F, (t + 1) * F), at);
      }
    });
    const y = stack("padCollate", examples.map((e) => e.y), [examples[0]!.y.length]);
    return { x: new Tensor(x, opts.timeMajor === true ? [T, B, F] : [B, T, F]), y, lengths };
  };
}
