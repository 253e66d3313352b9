/**
 * Which steps of a Keras-style layer's input are real (the call's lengths or mask, else the mask
 * attached to the input), and Keras's `zero_output_for_mask`: the output sequence of a recurrent
 * layer is 0 at masked steps instead of the carried output. Keras's `Bidirectional` turns it on
 * for its layers when they return sequences, and writes it into the layer configs it saves, so a
 * model read from a Keras file gives Keras's outputs at every step. TF.js has no such option and
 * never zeroes.
 */
import { Tensor } from "../../tensor/tensor.js";
import { maskOf } from "../utils/mask.js";
import { transpose } from "../../autograd/ops/shape.js";
import { sequenceLimits, type SequenceOptions } from "../utils/sequence-options.js";
import type { SequenceLimits } from "../utils/sequence-plan.js";

/** The real steps of x ((B, T, ·), or (T, B, ·) with timeMajor): `opts`, else the mask attached to x; null when every step is real. */
export function inputLimits(where: string, x: Tensor, opts: SequenceOptions | undefined, T: number, B: number, timeMajor: boolean): SequenceLimits | null {
  const attached = maskOf(x);
  const implicit = attached === null || !timeMajor ? attached : transpose(attached, 0, 1);
  return sequenceLimits(where, opts, T, B, implicit);
}

/** 1 at the real steps and 0 at the others, shaped to multiply a (B, T, H) sequence ((T, B, H) with timeMajor). */
export function keepMask(limits: SequenceLimits, T: number, B: number, timeMajor: boolean): Tensor {
  const keep = new Float32Array(T * B);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const real = limits.kind === "lengths" ? t < limits.lengths[b]! : limits.mask[t * B + b] !== 0;
      keep[timeMajor ? t * B + b : b * T + t] = real ? 1 : 0;
    }
  }
  return new Tensor(keep, timeMajor ? [T, B, 1] : [B, T, 1]);
}

/**
 * `seq` ((B, T, H), or (T, B, H) with timeMajor) with every step that `opts` or the mask attached
 * to `x` marks as padding set to 0; `seq` itself when every step is real.
 */
export function zeroMaskedSteps(where: string, seq: Tensor, x: Tensor, opts: SequenceOptions | undefined, timeMajor: boolean): Tensor {
  const T = timeMajor ? seq.shape[0]! : seq.shape[1]!;
  const B = timeMajor ? seq.shape[1]! : seq.shape[0]!;
  const limits = inputLimits(where, x, opts, T, B, timeMajor);
  return limits === null ? seq : seq.mul(keepMask(limits, T, B, timeMajor));
}
