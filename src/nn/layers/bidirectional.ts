/**
 * Keras's `Bidirectional` wrapper: any unidirectional recurrent layer and a backward copy that
 * reads each sequence reversed within its own length (lengths), or reversed whole with its mask
 * reversed alongside (masks, Keras's rule), then the two outputs merged per time step.
 *
 * Symbols: B batch, T time steps, F features, P output width of the wrapped layer.
 */
import { Tensor } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { add, mul } from "../../autograd/ops/elementwise.js";
import { concat, reshape, transpose } from "../../autograd/ops/shape.js";
import { Module, type JsonValue, type LayerConfig } from "../module.js";
import { describeArg } from "../options.js";
import type { CellState } from "../cells/spec.js";
import { RNNBase } from "./rnn-base.js";
import { gatherRows } from "../utils/gather-rows.js";
import { maskOf } from "../utils/mask.js";
import { maskTensor, sequenceLimits, type SequenceOptions } from "../utils/sequence-options.js";
import { layerFromConfig, layerToConfig, type LayerSpec } from "../../models/registry.js";

/** How the two directions' outputs are combined per step; null returns both. */
export type MergeMode = "concat" | "sum" | "mul" | "ave" | null;

/** The output of a Bidirectional layer: one tensor, or [forward, backward] when mergeMode is null. */
export type MergedOutput<M extends MergeMode> = M extends null ? [Tensor, Tensor] : Tensor;

export interface BidirectionalOptions<M extends MergeMode> {
  /** "concat" (default, width 2P), "sum", "mul", "ave" (width P), or null: both outputs. */
  mergeMode?: M;
  /** The layer that reads the reversed sequences; default a fresh layer from the wrapped one's config. */
  backwardLayer?: RNNBase;
}

/** Initial states of the two directions ({ h } or { h, c }, each (L, B, ·)); zeros when omitted. */
export interface BidirectionalState {
  forward?: CellState | null;
  backward?: CellState | null;
}

const MODES: readonly MergeMode[] = ["concat", "sum", "mul", "ave", null];

/**
 * `new Bidirectional(new LSTM({ inputSize, hiddenSize }), { mergeMode: "concat" })`.
 * `forward(x, state?, { lengths?, mask? })` returns [merged output, [forward state, backward
 * state]]; x is laid out as the wrapped layer expects ((T, B, F), or (B, T, F) with batchFirst).
 * Parameters are named `forward_layer.*` and `backward_layer.*`.
 */
export class Bidirectional<M extends MergeMode = "concat"> extends Module {
  readonly forwardLayer: RNNBase;
  readonly backwardLayer: RNNBase;
  readonly mergeMode: M;

  constructor(layer: RNNBase, opts: BidirectionalOptions<M> = {}) {
    super();
    const where = "Bidirectional";
    if (!(layer instanceof RNNBase)) throw new Error(`${where}: layer must be a recurrent layer (RNN, LSTM, GRU, …), got ${describeArg(layer)}`);
    if (layer.bidirectional) throw new Error(`${where}: ${layer.describe()} is already bidirectional; wrap a layer with bidirectional: false`);
    if (typeof opts !== "object" || opts === null) throw new Error(`${where}: options must be an object, got ${describeArg(opts)}`);
    for (const k of Object.keys(opts)) if (k !== "mergeMode" && k !== "backwardLayer") throw new Error(`${where}: unknown option "${k}"; expected mergeMode or backwardLayer`);
    const mode = (opts.mergeMode === undefined ? "concat" : opts.mergeMode) as M;
    if (!MODES.includes(mode)) throw new Error(`${where}: mergeMode must be "concat", "sum", "mul", "ave" or null, got ${describeArg(mode)}`);
    const backward = opts.backwardLayer ?? copyOf(layer);
    if (!(backward instanceof RNNBase)) throw new Error(`${where}: backwardLayer must be a recurrent layer, got ${describeArg(backward)}`);
    if (backward.bidirectional || backward.batchFirst !== layer.batchFirst || backward.inputSize !== layer.inputSize) {
      throw new Error(`${where}: backwardLayer ${backward.describe()} must be unidirectional with the same inputSize (${layer.inputSize}) and batchFirst (${layer.batchFirst}) as ${layer.describe()}`);
    }
    if (mode !== "concat" && backward.outputSize !== layer.outputSize) {
      throw new Error(`${where}: mergeMode "${String(mode)}" needs equal output widths, got ${layer.outputSize} forward and ${backward.outputSize} backward`);
    }
    this.mergeMode = mode;
    this.forwardLayer = this.registerModule("forward_layer", layer);
    this.backwardLayer = this.registerModule("backward_layer", backward);
  }

  /** Rebuilds from `getConfig()`: the wrapped layers from their `{ className, config }`. */
  static fromConfig(config: LayerConfig): Bidirectional<MergeMode> {
    const layer = layerFromConfig(specOf(config["layer"], "layer"));
    const back = config["backwardLayer"];
    const backward = back === undefined || back === null ? undefined : layerFromConfig(specOf(back, "backwardLayer"));
    if (!(layer instanceof RNNBase) || (backward !== undefined && !(backward instanceof RNNBase))) {
      throw new Error("Bidirectional.fromConfig: layer and backwardLayer must describe recurrent layers");
    }
    const m = config["mergeMode"];
    const mergeMode = MODES.find((x) => x === m);
    if (mergeMode === undefined) throw new Error(`Bidirectional.fromConfig: mergeMode must be "concat", "sum", "mul", "ave" or null, got ${describeArg(m)}`);
    return new Bidirectional<MergeMode>(layer, backward === undefined ? { mergeMode } : { mergeMode, backwardLayer: backward });
  }

  override describe(): string {
    return `Bidirectional(${this.forwardLayer.describe()}, mergeMode=${String(this.mergeMode)})`;
  }

  /** `{ layer: { className, config }, mergeMode, backwardLayer: { className, config } }`. */
  override getConfig(): LayerConfig {
    return {
      layer: specJson(layerToConfig(this.forwardLayer)),
      mergeMode: this.mergeMode,
      backwardLayer: specJson(layerToConfig(this.backwardLayer)),
    };
  }

  forward(x: Tensor, state?: BidirectionalState | null, opts?: SequenceOptions): [MergedOutput<M>, [CellState, CellState]] {
    const where = `${this.describe()}.forward`;
    if (!(x instanceof Tensor) || (x.ndim !== 2 && x.ndim !== 3)) {
      throw new Error(`${where}: input must be a Tensor of 3 dims (or 2 unbatched), got ${x instanceof Tensor ? shapeStr(x.shape) : describeArg(x)}`);
    }
    const bf = this.forwardLayer.batchFirst;
    const unbatched = x.ndim === 2;
    const T = unbatched || !bf ? x.shape[0]! : x.shape[1]!;
    const B = unbatched ? 1 : bf ? x.shape[0]! : x.shape[1]!;
    const attached = unbatched ? null : maskOf(x);
    const implicit = attached === null || bf ? attached : transpose(attached, 0, 1);
    const limits = sequenceLimits(where, opts, T, B, implicit);
    // Each direction gets explicit limits: the reversed input carries no attached mask.
    let fwOpts: SequenceOptions = {};
    let bwOpts: SequenceOptions = {};
    let lengths: Int32Array | null = null;
    if (limits?.kind === "lengths") {
      lengths = limits.lengths;
      fwOpts = { lengths };
      bwOpts = { lengths };
    } else if (limits?.kind === "mask") {
      const mask = opts?.mask ?? implicit!;
      fwOpts = { mask: maskTensor(where, mask, T, B, false) };
      bwOpts = { mask: maskTensor(where, mask, T, B, true) };
    }
    const index = reversal(T, B, unbatched || !bf, lengths);
    const flip = (t: Tensor): Tensor => reshape(gatherRows(reshape(t, [T * B, t.shape[t.ndim - 1]!]), index), t.shape);
    const [fw, fwState] = this.forwardLayer.forwardState(x, state?.forward ?? null, fwOpts);
    const [bwRev, bwState] = this.backwardLayer.forwardState(flip(x), state?.backward ?? null, bwOpts);
    const bw = flip(bwRev);
    return [this.merge(fw, bw), [fwState, bwState]];
  }

  private merge(fw: Tensor, bw: Tensor): MergedOutput<M> {
    const mode: MergeMode = this.mergeMode;
    const both: [Tensor, Tensor] = [fw, bw];
    const merged = mode === "concat" ? concat(both, fw.ndim - 1) : mode === "sum" ? add(fw, bw) : mode === "mul" ? mul(fw, bw) : mode === "ave" ? mul(add(fw, bw), 0.5) : null;
    return (merged ?? both) as MergedOutput<M>;
  }
}

function specJson(spec: LayerSpec): LayerConfig {
  return { className: spec.className, config: spec.config };
}

function specOf(v: JsonValue | undefined, name: string): LayerSpec {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`Bidirectional.fromConfig: ${name} must be { className, config }, got ${describeArg(v)}`);
  const className = v["className"];
  const config = v["config"];
  if (typeof className !== "string" || typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new Error(`Bidirectional.fromConfig: ${name} must be { className: string, config: object }, got ${describeArg(v)}`);
  }
  return { className, config };
}

/** A fresh layer of the same class and config (new weights). */
function copyOf(layer: RNNBase): RNNBase {
  const copy = layerFromConfig(layerToConfig(layer));
  if (!(copy instanceof RNNBase)) throw new Error(`Bidirectional: rebuilding ${layer.describe()} from its config gave ${copy.describe()}`);
  return copy;
}

/**
 * Row permutation of the flat (T·B) rows that reverses each sequence: within its length when
 * lengths are given (padding stays where it is), else whole. Its own inverse.
 */
function reversal(T: number, B: number, timeMajor: boolean, lengths: Int32Array | null): Int32Array {
  const index = new Int32Array(T * B);
  const row = (t: number, b: number): number => (timeMajor ? t * B + b : b * T + t);
  for (let b = 0; b < B; b++) {
    const L = lengths === null ? T : lengths[b]!;
    for (let t = 0; t < T; t++) index[row(t, b)] = row(t < L ? L - 1 - t : t, b);
  }
  return index;
}
