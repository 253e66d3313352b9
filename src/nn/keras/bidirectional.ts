/**
 * Keras's `Bidirectional` over the Keras recurrent layers: the library's Bidirectional (each
 * sequence reversed within its length, or whole with its mask reversed alongside) run on the two
 * layers' inner recurrent layers, with the wrapped layer's returnSequences and returnState:
 *
 *   returnSequences: merged (B, T, ·) per step; else the merge of the forward layer's last
 *   output and the backward layer's last output (the state after it read the sequence back to
 *   its first step), as Keras.
 *   returnState: [output, ...forward states, ...backward states] (Keras's order).
 *
 * The wrapped layers' weight regularizers and constraints act through `fit` as the layers' own;
 * their activity regularizers do not (the wrapper runs their inner layers, not their calls).
 *
 * Symbols: B batch, T time steps, H units.
 */
import { Tensor } from "../../tensor/tensor.js";
import { add, mul } from "../../autograd/ops/elementwise.js";
import { concat, reshape, select } from "../../autograd/ops/shape.js";
import { shapeStr } from "../../tensor/shape.js";
import { Module, type JsonValue, type LayerConfig } from "../module.js";
import { describeArg } from "../options.js";
import { Bidirectional, type BidirectionalState, type MergeMode } from "../layers/bidirectional.js";
import type { SequenceOptions } from "../utils/sequence-options.js";
import type { CellState } from "../cells/spec.js";
import { layerFromConfig, layerToConfig } from "../../models/registry.js";
import { attachMask, maskOf } from "../utils/mask.js";
import { inputLimits, keepMask } from "./masked-steps.js";
import { KerasRecurrent, type KerasRecurrentOutput } from "./recurrent.js";

export interface KerasBidirectionalOptions {
  /** "concat" (default), "sum", "mul", "ave", or null (both outputs as a list). */
  mergeMode?: MergeMode;
  /** The layer that reads the reversed sequences; default a fresh layer with the wrapped one's config. */
  backwardLayer?: KerasRecurrent;
}

const MODES: readonly MergeMode[] = ["concat", "sum", "mul", "ave", null];

/** `layers.bidirectional(layers.lstm({ units: 32 }))`; parameters under `forward_layer.*` and `backward_layer.*`. */
export class KerasBidirectional extends Module {
  readonly forwardLayer: KerasRecurrent;
  readonly backwardLayer: KerasRecurrent;
  readonly mergeMode: MergeMode;
  #inner: Bidirectional<null> | null = null;

  constructor(layer: KerasRecurrent, opts: KerasBidirectionalOptions = {}) {
    super();
    const where = "KerasBidirectional";
    if (!(layer instanceof KerasRecurrent)) throw new Error(`${where}: layer must be a Keras recurrent layer (layers.simpleRNN, lstm or gru), got ${describeArg(layer)}`);
    if (typeof opts !== "object" || opts === null) throw new Error(`${where}: options must be an object, got ${describeArg(opts)}`);
    for (const k of Object.keys(opts)) if (k !== "mergeMode" && k !== "backwardLayer") throw new Error(`${where}: unknown option "${k}"; expected mergeMode or backwardLayer`);
    const mode = opts.mergeMode === undefined ? "concat" : opts.mergeMode;
    if (!MODES.includes(mode)) throw new Error(`${where}: mergeMode must be "concat", "sum", "mul", "ave" or null, got ${describeArg(mode)}`);
    if (layer.options.stateful || layer.options.goBackwards) throw new Error(`${where}: wrap a layer without stateful and goBackwards (the wrapper reverses the backward direction itself)`);
    const backward = opts.backwardLayer ?? copyOf(layer);
    if (!(backward instanceof KerasRecurrent) || backward.options.returnSequences !== layer.options.returnSequences || backward.options.timeMajor !== layer.options.timeMajor) {
      throw new Error(`${where}: backwardLayer must be a Keras recurrent layer with the same returnSequences and timeMajor as ${layer.describe()}`);
    }
    if (mode !== "concat" && backward.units !== layer.units) throw new Error(`${where}: mergeMode "${String(mode)}" needs equal units, got ${layer.units} and ${backward.units}`);
    this.mergeMode = mode;
    this.forwardLayer = this.registerModule("forward_layer", layer);
    this.backwardLayer = this.registerModule("backward_layer", backward);
  }

  /** From `getConfig()` output. */
  static fromConfig(config: LayerConfig): KerasBidirectional {
    const read = (v: JsonValue | undefined): KerasRecurrent => {
      const spec = v as { className?: unknown; config?: unknown } | null | undefined;
      const layer = spec != null && typeof spec.className === "string" && typeof spec.config === "object" && spec.config !== null ? layerFromConfig({ className: spec.className, config: spec.config as LayerConfig }) : null;
      if (!(layer instanceof KerasRecurrent)) throw new Error(`KerasBidirectional.fromConfig: layer and backwardLayer must be { className, config } of Keras recurrent layers, got ${describeArg(v)}`);
      return layer;
    };
    const mode = MODES.find((m) => m === config["mergeMode"]);
    if (mode === undefined) throw new Error(`KerasBidirectional.fromConfig: mergeMode must be "concat", "sum", "mul", "ave" or null, got ${describeArg(config["mergeMode"])}`);
    return new KerasBidirectional(read(config["layer"]), { mergeMode: mode, backwardLayer: read(config["backwardLayer"]) });
  }

  override describe(): string {
    return `KerasBidirectional(${this.forwardLayer.describe()}, mergeMode=${String(this.mergeMode)})`;
  }

  override getConfig(): LayerConfig {
    const spec = (m: KerasRecurrent): LayerConfig => {
      const s = layerToConfig(m);
      return { className: s.className, config: s.config };
    };
    return { layer: spec(this.forwardLayer), mergeMode: this.mergeMode, backwardLayer: spec(this.backwardLayer) };
  }

  /** Builds both layers for input size `inputDim`. */
  build(inputDim: number): void {
    this.forwardLayer.build(inputDim);
    this.backwardLayer.build(inputDim);
  }

  /** True once both layers have their parameters. */
  get built(): boolean {
    return this.forwardLayer.built && this.backwardLayer.built;
  }

  /**
   * x (B, T, I) ((T, B, I) with timeMajor); `initialState` as Keras's list (the forward layer's
   * states, then the backward layer's, each (B, H)); `opts` as every recurrent layer (lengths or a
   * mask; an attached mask is used). Returns the merged output, a [forward, backward] list when mergeMode
   * is null, and with returnState the states after it.
   */
  forward(x: Tensor, initialState?: readonly Tensor[] | null, opts?: SequenceOptions): KerasRecurrentOutput {
    const where = `${this.describe()}.forward`;
    if (!(x instanceof Tensor) || x.ndim !== 3) throw new Error(`${where}: input must be a Tensor of 3 dims, got ${describeArg(x)}`);
    this.build(x.shape[2]!);
    const start = initialState == null ? null : this.readState(where, initialState, this.forwardLayer.options.timeMajor ? x.shape[1]! : x.shape[0]!);
    const fw = this.forwardLayer.rnn!;
    const bw = this.backwardLayer.rnn!;
    if (this.#inner === null || this.#inner.forwardLayer !== fw || this.#inner.backwardLayer !== bw) {
      this.#inner = new Bidirectional<null>(fw, { mergeMode: null, backwardLayer: bw });
    }
    const [[fwSeq, bwSeq], [fwState, bwState]] = this.#inner.forward(x, start, opts);
    const states = (s: CellState): Tensor[] => (s.c === undefined ? [select(s.h, 0, 0)] : [select(s.h, 0, 0), select(s.c, 0, 0)]);
    const fwStates = states(fwState);
    const bwStates = states(bwState);
    const fo = this.forwardLayer.options;
    const zeroFw = fo.returnSequences && fo.zeroOutputForMask;
    const zeroBw = fo.returnSequences && this.backwardLayer.options.zeroOutputForMask;
    // One keep mask for both directions (their sequences are in input order here).
    const [T, B] = fo.timeMajor ? [x.shape[0]!, x.shape[1]!] : [x.shape[1]!, x.shape[0]!];
    const limits = zeroFw || zeroBw ? inputLimits(where, x, opts, T, B, fo.timeMajor) : null;
    const keep = limits === null ? null : keepMask(limits, T, B, fo.timeMajor);
    const zero = (seq: Tensor, on: boolean): Tensor => (on && keep !== null ? seq.mul(keep) : seq);
    const [a, b] = fo.returnSequences ? [zero(fwSeq, zeroFw), zero(bwSeq, zeroBw)] : [fwStates[0]!, bwStates[0]!];
    const merged = this.merge(a, b);
    // Keras hands the input mask on from a wrapper that returns sequences.
    const handed = this.forwardLayer.options.returnSequences && merged instanceof Tensor ? maskOf(x) : null;
    if (handed !== null) attachMask(merged as Tensor, handed);
    if (!this.forwardLayer.options.returnState) return merged;
    const [first, ...rest] = merged instanceof Tensor ? [merged] : merged;
    return [first!, ...rest, ...fwStates, ...bwStates];
  }

  /** Keras's initial_state list [forward h, (c), backward h, (c)], each (B, H), as the two directions' states (1, B, H). */
  private readState(where: string, list: readonly Tensor[], B: number): BidirectionalState {
    const n = this.forwardLayer.kind === "lstm" ? 2 : 1;
    const widths = [...new Array<number>(n).fill(this.forwardLayer.units), ...new Array<number>(n).fill(this.backwardLayer.units)];
    if (!Array.isArray(list) || list.length !== 2 * n) throw new Error(`${where}: initialState must be a list of ${2 * n} Tensors (the forward layer's states, then the backward layer's), got ${describeArg(list)}`);
    const ts = list.map((t, k) => {
      if (!(t instanceof Tensor) || t.ndim !== 2 || t.shape[0] !== B || t.shape[1] !== widths[k]) {
        throw new Error(`${where}: initialState[${k}] must be a Tensor of shape (${B}, ${widths[k]}), got ${t instanceof Tensor ? shapeStr(t.shape) : describeArg(t)}`);
      }
      return reshape(t, [1, B, widths[k]!]);
    });
    const state = (a: Tensor[]): CellState => (a.length === 2 ? { h: a[0]!, c: a[1]! } : { h: a[0]! });
    return { forward: state(ts.slice(0, n)), backward: state(ts.slice(n)) };
  }

  private merge(fw: Tensor, bw: Tensor): Tensor | [Tensor, Tensor] {
    switch (this.mergeMode) {
      case "concat":
        return concat([fw, bw], fw.ndim - 1);
      case "sum":
        return add(fw, bw);
      case "mul":
        return mul(fw, bw);
      case "ave":
        return mul(add(fw, bw), 0.5);
      default:
        return [fw, bw];
    }
  }
}

/** A fresh layer of the same class and config (new weights). */
function copyOf(layer: KerasRecurrent): KerasRecurrent {
  const copy = layerFromConfig(layerToConfig(layer));
  if (!(copy instanceof KerasRecurrent)) throw new Error(`KerasBidirectional: rebuilding ${layer.describe()} from its config gave ${copy.describe()}`);
  return copy;
}
