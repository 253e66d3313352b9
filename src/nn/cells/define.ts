/**
 * `defineCell`: a recurrent cell from a step written with autograd ops, registered so that
 * `new RecurrentLayer({ cell: name, … })` and `new RecurrentCell({ cell: name, … })` run it with
 * stacking, directions, batch-first, initial states and dropout. No backend has a fused kernel
 * for it, so it runs on the generic path (one autograd step per time step; correct, slower).
 *
 *   defineCell({
 *     name: "min_rnn",
 *     states: ["h"],
 *     parameters: [
 *       { suffix: "weight_ih", shape: ({ H, I }) => [H, I] },
 *       { suffix: "weight_hh", shape: ({ H, P }) => [H, P] },
 *     ],
 *     step: (x, { h }, p) => ({ h: tanh(add(matmul(x, p.weight_ih, { transB: true }), matmul(h, p.weight_hh, { transB: true }))) }),
 *   });
 */
import { registerCell } from "./registry.js";
import type { CellName, CellSpec, CellStates, CellStep, ParamInit, ParamSpec } from "./spec.js";

/** A parameter of a user-defined cell: as ParamSpec, with init defaulting to "uniform". */
export interface CellParamDefinition {
  /** Name without layer/direction suffix, e.g. "weight_x"; layers register `weight_x_l0` and so on. */
  suffix: string;
  /** Shape from the layer's sizes { I, H, P, G }. */
  shape: ParamSpec["shape"];
  /** Default "uniform" (U(-1/√H, 1/√H)); "ones" or "zeros" for gains and offsets. */
  init?: ParamInit;
  /** Only created when the layer has `bias: true` (default false: always created). */
  bias?: boolean;
}

export interface CellDefinition {
  /** Registry name, lower snake case; must not be taken. */
  name: CellName;
  /** ["h"] or ["h", "c"]. */
  states: CellStates;
  /** Gate rows per hidden unit, for `G` in parameter shapes. Default 1. */
  gatesPerUnit?: number;
  /** The cell's parameters per layer and direction, in registration order. */
  parameters: readonly CellParamDefinition[];
  /** One step: x (B, I) and the state ({ h (B, H), c? (B, H) }) to the next state, with autograd ops. */
  step: CellStep;
  /** Gate order, for documentation. Default "". */
  gateOrder?: string;
  /** Replace a cell already registered under this name. Default false. */
  replace?: boolean;
}

/** Registers a cell that runs on the generic path and returns its spec. */
export function defineCell(def: CellDefinition): CellSpec {
  if (typeof def !== "object" || def === null) throw new Error(`defineCell: expected a definition object, got ${String(def)}`);
  if (typeof def.step !== "function") throw new Error(`defineCell("${String(def.name)}"): step must be a function (x, state, params) => state`);
  if (!Array.isArray(def.parameters)) throw new Error(`defineCell("${String(def.name)}"): parameters must be an array`);
  const parameters: ParamSpec[] = def.parameters.map((p, i) => {
    if (typeof p.suffix !== "string" || p.suffix === "") throw new Error(`defineCell("${def.name}"): parameters[${i}].suffix must be a non-empty string`);
    if (typeof p.shape !== "function") throw new Error(`defineCell("${def.name}"): parameters[${i}] (${p.suffix}).shape must be a function of { I, H, P, G }`);
    return { suffix: p.suffix, shape: p.shape, init: p.init ?? "uniform", ...(p.bias === true ? { bias: true } : {}) };
  });
  const spec: CellSpec = {
    name: def.name,
    gatesPerUnit: def.gatesPerUnit ?? 1,
    states: def.states,
    parameters,
    gateOrder: def.gateOrder ?? "",
    projection: false,
    step: def.step,
  };
  return registerCell(spec, { replace: def.replace ?? false });
}
