/**
 * Seeing inside a recurrent layer: `traceGates(layer, x)` runs one sequence through every layer
 * and direction of a recurrent stack and records, per time step and hidden unit, the cell's gate
 * activations (LSTM i, f, g, o; GRU r, z, n; as the cell spec names them), its cell state c
 * (cells that carry one) and its output h. Browser-safe (no Node imports): the playground calls
 * it, and `recurrent inspect` turns its result into heatmaps.
 *
 * Where the numbers come from. h is the layer's own output: each layer and direction runs through
 * `recurrentDirection`, the function the layer's forward runs, on the active backend, so the
 * traced h equals `layer.forward(x)` bit for bit. The gates are then recomputed step by step with
 * the cell's `trace` (the autograd form of its equations, the same function its generic `step`
 * is made of), from the input x_t and the layer's own h_{t-1}; c follows the recurrence of those
 * gates from c_0 = 0. Gates and c therefore describe the step that produced h up to float
 * rounding (the fused kernels sum in another order). A cell without a `trace` (Elman RNN, user
 * cells defined without one) is traced as h alone.
 *
 * Symbols: T time steps, I input size, H hidden size, P output width (projSize, or H).
 */
import { noGrad } from "../autograd/mode.js";
import { concat, reshape, select } from "../autograd/ops/shape.js";
import { shapeStr } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { activeParams, type CellParams, type CellState } from "./cells/spec.js";
import { recurrentDirection } from "./layers/recurrent-op.js";
import { RNNBase } from "./layers/rnn-base.js";
import { describeArg } from "./options.js";

/** One recorded quantity of one layer and direction: `values[unit][step]`. */
export interface TraceSeries {
  /** "i", "f", "g", "o", "r", "z", "n" (the cell's gate names), "c" or "h". */
  name: string;
  /** One row per unit (H rows, P for h), one column per time step, in input order. */
  values: number[][];
}

/** Everything recorded for one layer and one direction of the stack. */
export interface DirectionTrace {
  /** 0-based layer index. */
  layer: number;
  /** "reverse" runs from the last step to the first; its columns are still in input order. */
  direction: "forward" | "reverse";
  /** The cell's gates in its gate order, then "c" (cells with a cell state, when traced), then "h". */
  series: TraceSeries[];
}

/** The result of `traceGates`: plain JSON (`JSON.stringify` writes it as it is). */
export interface GateTrace {
  /** Version of this layout; readers check it. */
  version: 1;
  /** The layer's description, e.g. "LSTM(hiddenSize=64)". */
  layer: string;
  /** Registered cell name ("lstm", "gru", "rnn_tanh", ...). */
  cell: string;
  /** The cell's gate order, e.g. "i|f|g|o". */
  gateOrder: string;
  /** Time steps T. */
  steps: number;
  hiddenSize: number;
  numLayers: number;
  numDirections: number;
  /** Layer-major, forward direction before reverse. */
  directions: DirectionTrace[];
}

/** Largest sequence traced at once: the trace holds (gates + 2)·H·T numbers per layer and direction. */
export const TRACE_MAX_STEPS = 10000;

/** Rows (B = 1) of a (T, 1, W) tensor as W rows of T values. */
function unitsBySteps(steps: readonly Float32Array[], width: number): number[][] {
  return Array.from({ length: width }, (_, j) => steps.map((row) => row[j]!));
}

/** The parameters of layer `l`, direction `d` of `layer`, by the cell spec's suffixes. */
function directionParams(layer: RNNBase, l: number, d: number): CellParams {
  const dict = layer.stateDict();
  const out: Record<string, Tensor> = {};
  for (const p of activeParams(layer.spec, layer.bias, layer.projSize > 0)) {
    const name = `${p.suffix}_l${l}${d === 1 ? "_reverse" : ""}`;
    const t = dict[name];
    if (t === undefined) throw new Error(`traceGates: ${layer.describe()} has no parameter ${name}`);
    out[p.suffix] = t;
  }
  return out;
}

/**
 * Traces one sequence `x` (T, I) through `layer`; see the module comment. The layer runs in
 * whatever mode it is in (call `eval()` first to switch off dropout between layers).
 */
export function traceGates(layer: RNNBase, x: Tensor): GateTrace {
  const where = "traceGates";
  if (!(layer instanceof RNNBase)) throw new Error(`${where}: layer must be a recurrent layer (RNN, LSTM, GRU, RecurrentLayer, ...), got ${describeArg(layer)}`);
  if (!(x instanceof Tensor) || x.ndim !== 2) {
    throw new Error(`${where}: x must be one sequence (T, I), got ${x instanceof Tensor ? shapeStr(x.shape) : describeArg(x)}`);
  }
  const [T, I] = x.shape as [number, number];
  if (I !== layer.inputSize) throw new Error(`${where}: x is (T, I) = (${T}, ${I}) but ${layer.describe()} takes I = ${layer.inputSize}`);
  if (T < 1 || T > TRACE_MAX_STEPS) throw new Error(`${where}: x must have 1 to ${TRACE_MAX_STEPS} steps, got T = ${T}`);
  const spec = layer.spec;
  const H = layer.hiddenSize;
  const P = layer.outputSize;
  const D = layer.numDirections;
  const hasC = spec.states.length === 2;
  const gateNames = spec.trace !== undefined ? (spec.gateNames ?? []) : [];

  return noGrad(() => {
    const directions: DirectionTrace[] = [];
    let seq = reshape(x, [T, 1, I]); // (T, 1, I)
    for (let l = 0; l < layer.numLayers; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const params = directionParams(layer, l, d);
        const h0 = new Tensor(new Float32Array(P), [1, P]);
        const c0 = hasC ? new Tensor(new Float32Array(H), [1, H]) : null;
        const r = recurrentDirection(spec, seq, h0, c0, params, H, d === 1);
        outs.push(r.out);
        const hRows: Float32Array[] = Array.from({ length: T }, (_, t) => r.out.data.slice(t * P, (t + 1) * P));
        const series: TraceSeries[] = [];
        if (spec.trace !== undefined) {
          const gates: Float32Array[][] = gateNames.map(() => new Array<Float32Array>(T));
          const cRows: Float32Array[] = new Array<Float32Array>(T);
          let c = c0;
          for (let s = 0; s < T; s++) {
            const t = d === 1 ? T - 1 - s : s;
            const hPrev = s === 0 ? h0 : new Tensor(hRows[d === 1 ? t + 1 : t - 1]!, [1, P]);
            const state: CellState = c === null ? { h: hPrev } : { h: hPrev, c };
            const step = spec.trace(select(seq, 0, t), state, params);
            step.gates.forEach((g, k) => {
              if (k < gates.length) gates[k]![t] = g.data.slice();
            });
            c = step.state.c ?? null;
            if (c !== null) cRows[t] = c.data.slice();
          }
          gateNames.forEach((name, k) => series.push({ name, values: unitsBySteps(gates[k]!, H) }));
          if (hasC) series.push({ name: "c", values: unitsBySteps(cRows, H) });
        }
        series.push({ name: "h", values: unitsBySteps(hRows, P) });
        directions.push({ layer: l, direction: d === 1 ? "reverse" : "forward", series });
      }
      seq = D === 1 ? outs[0]! : concat(outs, 2);
    }
    return { version: 1, layer: layer.describe(), cell: spec.name, gateOrder: spec.gateOrder, steps: T, hiddenSize: H, numLayers: layer.numLayers, numDirections: D, directions };
  });
}

/** Population variance of each row; the inspector ranks units by it. */
export function rowVariances(values: readonly (readonly number[])[]): number[] {
  return values.map((row) => {
    const n = row.length;
    if (n === 0) return 0;
    let mean = 0;
    for (const v of row) mean += v;
    mean /= n;
    let s = 0;
    for (const v of row) s += (v - mean) ** 2;
    return s / n;
  });
}

/** Indices of the `k` rows with the largest variance, largest first (ties: lower index first). */
export function topUnitsByVariance(values: readonly (readonly number[])[], k: number): number[] {
  const vars = rowVariances(values);
  return vars
    .map((v, i) => [v, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, Math.max(0, Math.min(k, vars.length)))
    .map(([, i]) => i);
}
