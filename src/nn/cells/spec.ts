/**
 * What a recurrent cell is, as data: the spec a registry holds and every layer, cell and backend
 * reads. A cell declares its gate count, its states, its parameters (PyTorch-style name suffixes,
 * shapes, default init) and how one direction of one layer runs over a whole sequence: a
 * reference forward/backward on plain arrays (the fused path every backend is tested against),
 * and/or a `step` written with autograd ops (the generic path, for cells with no fused kernel).
 *
 * Symbols: B batch, T time steps, I input size, H hidden size, P recurrent width (projSize, or H),
 * G = gatesPerUnit·H gate rows.
 */
import type { RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../../backends/backend.js";
import type { Tensor } from "../../tensor/tensor.js";

/** The registered name of a cell, e.g. "lstm", "gru", "peephole_lstm" or a user-defined one. */
export type CellName = string;

/** The states a cell carries from step to step: `h` only, or `h` and a cell state `c`. */
export type CellStates = readonly ["h"] | readonly ["h", "c"];

/** A recurrent state in typed form: `c` is present exactly when the cell's states include it. */
export interface CellState {
  h: Tensor;
  c?: Tensor;
}

/** The sizes a parameter's shape is built from. */
export interface CellDims {
  /** Input features of this layer (I, or D·P for layers above the first). */
  I: number;
  /** Hidden size H. */
  H: number;
  /** Recurrent width P (projSize, or H). */
  P: number;
  /** Gate rows G = gatesPerUnit·H. */
  G: number;
}

/**
 * Default initial values of a parameter: `"uniform"` is U(-1/√H, 1/√H) (PyTorch's for recurrent
 * layers), `"ones"` and `"zeros"` are constants (layer-norm gains and biases).
 */
export type ParamInit = "uniform" | "ones" | "zeros";

/** One parameter of one layer and direction. */
export interface ParamSpec {
  /**
   * Name without the layer/direction suffix, e.g. `weight_ih`; a layer registers
   * `weight_ih_l0`, `weight_ih_l0_reverse`, …, a single-step cell the bare name.
   * `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` and `weight_hr` are the fused kernels' standard
   * slots; any other name is an extra parameter, passed to kernels in this list's order.
   */
  suffix: string;
  /** The shape from the layer's sizes. */
  shape: (d: CellDims) => number[];
  /** Default init. */
  init: ParamInit;
  /** Only present when the layer has `bias: true`. */
  bias?: boolean;
  /** Only present when the layer has a projection (projSize > 0). */
  projection?: boolean;
}

/** The parameters of one layer and direction by suffix (absent ones are not in the record). */
export type CellParams = Readonly<Record<string, Tensor>>;

/**
 * One time step with autograd ops: x (B, I) and the state ({ h (B, P), c? (B, H) }) to the next
 * state. `h` of the result is also the step's output.
 */
export type CellStep = (x: Tensor, state: CellState, params: CellParams) => CellState;

/**
 * One step that also returns the gate activations, each (B, H), in the order of the spec's
 * `gateNames`: the same math as `step` (a cell with a trace defines its step from it), so what an
 * inspector shows is what the cell computes.
 */
export type CellTrace = (x: Tensor, state: CellState, params: CellParams) => { state: CellState; gates: readonly Tensor[] };

/**
 * A whole sequence for one direction of one layer on plain arrays, forward and backward side by
 * side (the backend contract of backend.ts; `extra` carries the cell's own parameters in the
 * spec's order and `dExtra` their gradients).
 */
export interface CellReference {
  forward(a: RecurrentForwardArgs): RecurrentCache;
  backward(a: RecurrentBackwardArgs): void;
}

/** Everything the library knows about a cell. */
export interface CellSpec {
  /** Registry name, lower snake case: "lstm". */
  readonly name: CellName;
  /** Gate rows per hidden unit (1 RNN, 4 LSTM, 3 GRU); G = gatesPerUnit·H. */
  readonly gatesPerUnit: number;
  /** The states carried between steps. */
  readonly states: CellStates;
  /** Parameters per layer and direction, in registration order (PyTorch's order for its cells). */
  readonly parameters: readonly ParamSpec[];
  /** Gate order inside the G rows, for docs and interop, e.g. "i|f|g|o". */
  readonly gateOrder: string;
  /** Accepts projSize (an LSTMP-style weight_hr). */
  readonly projection: boolean;
  /** Fused reference kernel; absent for user-defined cells, which run on the generic path. */
  readonly reference?: CellReference;
  /** One step with autograd ops: the generic path when a backend has no fused kernel for the cell. */
  readonly step?: CellStep;
  /** Names of the gates `trace` returns, in order, e.g. ["i", "f", "g", "o"]; absent when the cell has no gates to show. */
  readonly gateNames?: readonly string[];
  /** One step with its gate activations (for inspection, see nn/trace.ts); absent for cells whose gates are not traced. */
  readonly trace?: CellTrace;
}

/** The slots of the fused kernel contract, by parameter suffix. */
export const STANDARD_SUFFIXES: ReadonlySet<string> = new Set(["weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr"]);

/** The spec's parameters that a layer with these options has. */
export function activeParams(spec: CellSpec, bias: boolean, projection: boolean): ParamSpec[] {
  return spec.parameters.filter((p) => (p.bias !== true || bias) && (p.projection !== true || projection));
}

/** The parameters passed to kernels in `extra` (not one of the standard slots), in order. */
export function extraParams(spec: CellSpec, bias: boolean): ParamSpec[] {
  return activeParams(spec, bias, false).filter((p) => !STANDARD_SUFFIXES.has(p.suffix));
}
