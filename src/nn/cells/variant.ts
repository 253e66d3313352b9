/**
 * Cell variants (spec.ts `CellVariant`): which nonlinearities a cell runs with and the recurrent
 * dropout mask, shared by the cells' autograd steps, the layers that choose them and the path
 * that decides fused or generic.
 */
import { mul } from "../../autograd/ops/elementwise.js";
import type { Tensor } from "../../tensor/tensor.js";
import { activationName, activationNames, getActivation, type Activation, type ActivationName } from "../activations.js";
import { describeArg, didYouMean } from "../options.js";
import type { CellActivations, CellSpec, CellVariant } from "./spec.js";

/** The gated cells' defaults: sigmoid gates, tanh candidate (PyTorch's and Keras 3's). */
export const GATED_DEFAULTS: CellActivations = { gate: "sigmoid", candidate: "tanh" };

/** The two nonlinearities of a step as functions: the variant's, else the cell's defaults. */
export function stepActivations(defaults: CellActivations, variant: CellVariant | undefined): { gate: Activation; candidate: Activation } {
  const a = variant?.activations ?? defaults;
  return { gate: getActivation(a.gate), candidate: getActivation(a.candidate) };
}

/**
 * h_{t-1} as it enters the recurrent product: times the recurrent mask when there is one. The
 * mask is a constant (callers never give it a gradient), so only h receives one through here.
 */
export function recurrentInput(h: Tensor, variant: CellVariant | undefined): Tensor {
  const m = variant?.recurrentMask ?? null;
  return m === null ? h : mul(h, m);
}

/**
 * True when `a` differs from the cell's defaults in a way the cell uses (a one-row cell, gatesPerUnit
 * 1, has no gate, so only its candidate counts). False for a cell without variants.
 */
export function nonDefaultActivations(spec: CellSpec, a: CellActivations | null | undefined): boolean {
  const d = spec.activations;
  if (d === undefined || a === null || a === undefined) return false;
  return a.candidate !== d.candidate || (spec.gatesPerUnit > 1 && a.gate !== d.gate);
}

/** "gate=sigmoid, candidate=tanh" (a one-row cell: "candidate=relu"), for messages and notice keys. */
export function describeActivations(spec: CellSpec, a: CellActivations): string {
  return spec.gatesPerUnit > 1 ? `gate=${a.gate}, candidate=${a.candidate}` : `candidate=${a.candidate}`;
}

/**
 * The canonical name of an activation given by a layer option (`hardSigmoid`, `hard_sigmoid`,
 * `HardSigmoid` all name the same one). Throws naming the layer, the option, the known names and
 * the closest one for anything else.
 */
export function resolveActivation(where: string, option: string, v: unknown): ActivationName {
  if (typeof v === "string") {
    let name: ActivationName | null = null;
    try {
      name = activationName(getActivation(v));
    } catch {
      name = null;
    }
    if (name !== null) return name;
  }
  const known = activationNames();
  const guess = typeof v === "string" ? didYouMean(v, known) : null;
  const hint = guess === null ? "" : ` (did you mean "${guess}"?)`;
  throw new Error(`${where}: option ${option} must be an activation name, got ${describeArg(v)}${hint}; known activations: ${known.join(", ")}`);
}
