/**
 * The nonlinearities of ONNX's LSTM, GRU and RNN operators (their `activations`,
 * `activation_alpha` and `activation_beta` attributes) beside the library's activation names, both
 * ways. ONNX's HardSigmoid is clip(alpha·x + beta, 0, 1), so Keras 2's and TF.js's hard sigmoid is
 * (0.2, 0.5) and Keras 3's (1/6, 0.5); Affine(1, 0) is the identity ("linear"); Elu(1) is "elu".
 * Only the activations the library's cells run map; the others (Affine or Elu with other
 * parameters, LeakyRelu, ThresholdedRelu, ScaledTanh) have no layer to land on.
 *
 * The alphas and betas are consumed in the order of the activations, each only by an activation
 * that takes one (onnxruntime's reading), which is how exportOnnx writes them.
 */
import type { ActivationName } from "../../../nn/activations.js";
import { OnnxError, type OnnxAttribute, type OnnxNode } from "./proto.js";

/** An ONNX activation name with the alpha and beta it is written with. */
export interface OnnxActivation {
  name: string;
  alpha?: number;
  beta?: number;
}

/** ONNX's spelling of each library activation its recurrent operators take. */
export const ONNX_ACTIVATIONS: Partial<Record<ActivationName, OnnxActivation>> = {
  sigmoid: { name: "Sigmoid" },
  tanh: { name: "Tanh" },
  relu: { name: "Relu" },
  linear: { name: "Affine", alpha: 1, beta: 0 },
  hardSigmoid: { name: "HardSigmoid", alpha: 0.2, beta: 0.5 },
  hardSigmoidKeras3: { name: "HardSigmoid", alpha: 1 / 6, beta: 0.5 },
  softsign: { name: "Softsign" },
  softplus: { name: "Softplus" },
  elu: { name: "Elu", alpha: 1 },
};

/** Which ONNX activations take an alpha, a beta, and their operators' defaults (NaN: none). */
const PARAMETERS: Readonly<Record<string, { alpha: number; beta?: number }>> = {
  HardSigmoid: { alpha: 0.2, beta: 0.5 },
  Affine: { alpha: NaN, beta: NaN },
  ScaledTanh: { alpha: NaN, beta: NaN },
  Elu: { alpha: 1 },
  LeakyRelu: { alpha: 0.01 },
  ThresholdedRelu: { alpha: 1 },
};

const KNOWN = new Set(["Sigmoid", "Tanh", "Relu", "Softsign", "Softplus", ...Object.keys(PARAMETERS)]);

function attrOf(n: OnnxNode, name: string): OnnxAttribute | undefined {
  return n.attributes.find((a) => a.name === name);
}

/** Equal as float32, since the attribute stores alpha and beta as float32. */
function same(a: number | undefined, b: number | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && Math.fround(a) === Math.fround(b));
}

function show(a: OnnxActivation): string {
  const params = [a.alpha, a.beta].filter((v): v is number => v !== undefined && !Number.isNaN(v));
  return `${a.name.slice(0, 40)}${params.length > 0 ? `(${params.map((v) => String(Math.fround(v))).join(", ")})` : ""}`;
}

/**
 * The node's `activations` with their alphas and betas, `perDirection` for each of `D`
 * directions, as library names; null when the attribute is absent (the operator's defaults).
 * Throws naming the node and the attribute for a wrong count, an unknown name, a missing alpha or
 * one the library has no activation for.
 */
export function readOnnxActivations(n: OnnxNode, where: string, perDirection: number, D: number): ActivationName[] | null {
  const names = attrOf(n, "activations")?.strings;
  const alphas = attrOf(n, "activation_alpha")?.floats ?? [];
  const betas = attrOf(n, "activation_beta")?.floats ?? [];
  if (names === undefined || names.length === 0) {
    if (alphas.length > 0 || betas.length > 0) throw new OnnxError(`${where}: activation_alpha/activation_beta are given without an activations attribute`);
    return null;
  }
  if (names.length !== perDirection * D) throw new OnnxError(`${where}: attribute activations has ${names.length} names; ${n.opType} with ${D} direction(s) takes ${perDirection * D}`);
  let ai = 0; // alphas and betas the activations take so far
  let bi = 0;
  const out: ActivationName[] = [];
  for (const name of names) {
    if (!KNOWN.has(name)) throw new OnnxError(`${where}: attribute activations names "${name.slice(0, 40)}", which is not an activation of ONNX's ${n.opType} (Sigmoid, Tanh, Relu, HardSigmoid, Affine, Elu, LeakyRelu, ThresholdedRelu, ScaledTanh, Softsign, Softplus)`);
    const p = PARAMETERS[name];
    const act: OnnxActivation = { name };
    if (p !== undefined) {
      act.alpha = ai < alphas.length ? alphas[ai]! : p.alpha;
      ai++;
      if (p.beta !== undefined) {
        act.beta = bi < betas.length ? betas[bi]! : p.beta;
        bi++;
      }
    }
    const found = (Object.keys(ONNX_ACTIVATIONS) as ActivationName[]).find((k) => {
      const m = ONNX_ACTIVATIONS[k]!;
      return m.name === name && same(m.alpha, act.alpha) && same(m.beta, act.beta);
    });
    if (found === undefined) {
      throw new OnnxError(`${where}: attribute activations has ${show(act)}, which no layer of the library runs; importable: ${Object.values(ONNX_ACTIVATIONS).map((a) => show(a!)).join(", ")}`);
    }
    out.push(found);
  }
  if (ai < alphas.length || bi < betas.length) throw new OnnxError(`${where}: attribute activation_alpha has ${alphas.length} and activation_beta ${betas.length} values, but the activations take ${ai} and ${bi}`);
  const first = out.slice(0, perDirection);
  for (let d = 1; d < D; d++) {
    const other = out.slice(d * perDirection, (d + 1) * perDirection);
    if (other.join(",") !== first.join(",")) throw new OnnxError(`${where}: attribute activations differs between directions ([${first.join(", ")}] and [${other.join(", ")}]); a layer has one set for both`);
  }
  return first;
}
