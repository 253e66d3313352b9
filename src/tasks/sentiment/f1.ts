/**
 * F1 of the positive class (label 1) for two-class logits (N, 2): 2·TP / (2·TP + FP + FN), the
 * harmonic mean of precision and recall. With no positive predicted and none to find (TP, FP and
 * FN all 0) it is undefined, and reported as NaN rather than a made-up 0 or 1.
 */
import { requireOutput, targetLength, targetValue, type Metric, type StepRecord } from "../../train/metric.js";

/** F1 from counts of true positives, false positives and false negatives; NaN when all are 0. */
export function f1Score(tp: number, fp: number, fn: number): number {
  const d = 2 * tp + fp + fn;
  return d === 0 ? NaN : (2 * tp) / d;
}

export class BinaryF1 implements Metric {
  readonly name = "f1";
  readonly label = "f1";
  readonly digits = 4;
  private tp = 0;
  private fp = 0;
  private fn = 0;

  reset(): void {
    this.tp = 0;
    this.fp = 0;
    this.fn = 0;
  }

  update(step: StepRecord): void {
    const { output, target } = requireOutput("BinaryF1", step);
    const n = targetLength(target);
    if (output.size !== 2 * n) throw new Error(`BinaryF1: output has ${output.size} values for ${n} targets; expected two-class logits (N, 2)`);
    const d = output.data;
    for (let i = 0; i < n; i++) {
      const predicted = d[2 * i + 1]! > d[2 * i]!;
      const actual = targetValue(target, i) === 1;
      if (predicted && actual) this.tp += 1;
      else if (predicted) this.fp += 1;
      else if (actual) this.fn += 1;
    }
  }

  result(): number {
    return f1Score(this.tp, this.fp, this.fn);
  }
}
