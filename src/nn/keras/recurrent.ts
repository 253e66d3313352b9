/**
 * The Keras-flavoured recurrent layer: Keras's arguments and call semantics over the library's
 * recurrent base (the same fused kernels as the PyTorch-style layers). `KerasSimpleRNN`,
 * `KerasLSTM` and `KerasGRU` only name their cell.
 *
 * Call: `forward(x, initialState?, { lengths?, mask? })` with x (B, T, I) ((T, B, I) with
 * timeMajor). Returns the last output (B, H), or the sequence (B, T, H) with returnSequences;
 * with returnState `[output, h]` (`[output, h, c]` for LSTM), each state (B, H).
 *
 * Build: the input size I is taken from `inputDim`/`inputShape` (parameters exist at
 * construction) or from the first call. An optimiser holds the parameters it was given, so a
 * layer must be built before its optimiser is made: give inputDim, or call `build(I)` or
 * `Sequential.build(shape)`; `fit` and `compile` refuse a model with an unbuilt layer.
 *
 * Symbols: B batch, T time steps, I input size, H units, G gates·H.
 */
import { Tensor } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { Generator } from "../../tensor/random.js";
import { concat, reshape, select, slice, transpose } from "../../autograd/ops/shape.js";
import { Module, type LayerConfig, type StateDictEntry } from "../module.js";
import { describeArg } from "../options.js";
import type { CellName, CellState } from "../cells/spec.js";
import { gatherRows } from "../utils/gather-rows.js";
import { attachMask, maskOf } from "../utils/mask.js";
import type { SequenceOptions } from "../utils/sequence-options.js";
import { gatePermutation } from "../../io/interop/gate-order.js";
import { KerasCore } from "./core.js";
import { inputLimits, zeroMaskedSteps } from "./masked-steps.js";
import { resolveKerasOptions, kerasOptionsConfig, type KerasCellKind, type KerasRecurrentOptions, type ResolvedKerasOptions } from "./options.js";
import { getKerasWeights, kerasCellOf, kerasWeightNames, setKerasWeights } from "./weights.js";
import type { Initializer } from "../initializers.js";
import type { Regularizer } from "../regularizers.js";

/** What a Keras recurrent layer's forward returns: the output, or [output, ...states] with returnState. */
export type KerasRecurrentOutput = Tensor | [Tensor, ...Tensor[]];

/** An initial state: [h] or [h, c] (Keras's list), or { h } / { h, c }; each (B, H). */
export type KerasStateInput = readonly Tensor[] | CellState;

/** The output and the final states of one call, typed (what forward returns, unpacked). */
export interface KerasCallResult {
  /** (B, H) last output, or (B, T, H) with returnSequences. */
  output: Tensor;
  /** [h] or [h, c], each (B, H). */
  states: Tensor[];
}

const CELL_OF: Readonly<Record<KerasCellKind, string>> = { simpleRNN: "SimpleRNN", lstm: "LSTM", gru: "GRU" };

/** A copy outside the tape: what a stateful layer keeps between calls (Keras keeps states in variables). */
function detached(t: Tensor): Tensor {
  return new Tensor(Float32Array.from(t.data), t.shape);
}

export abstract class KerasRecurrent extends Module {
  readonly kind: KerasCellKind;
  /** Every option with its default, names resolved to objects. */
  readonly options: ResolvedKerasOptions;
  /** The inner recurrent layer (PyTorch layout); null until built. Its parameters are `rnn.weight_ih_l0`, … */
  rnn: KerasCore | null = null;
  readonly #generator: Generator | null;
  #states: Tensor[] | null = null;
  #statefulBatch: number | null = null;
  #activity: Tensor | null = null;

  protected constructor(kind: KerasCellKind, opts: KerasRecurrentOptions) {
    super();
    this.kind = kind;
    this.options = resolveKerasOptions(`Keras${CELL_OF[kind]}`, kind, opts);
    this.#generator = this.options.seed === null ? null : new Generator(this.options.seed);
    if (this.options.inputDim !== null) this.build(this.options.inputDim);
  }

  /** Output width H. */
  get units(): number {
    return this.options.units;
  }

  /** True once the parameters exist (inputDim given, `build` called, or after the first call). */
  get built(): boolean {
    return this.rnn !== null;
  }

  /** A stateful layer's batch size, fixed by its first call; null before it or when not stateful. */
  get statefulBatchSize(): number | null {
    return this.#statefulBatch;
  }

  /** The registered cell the layer runs. */
  get cell(): CellName {
    if (this.kind === "lstm") return "lstm";
    if (this.kind === "gru") return this.options.resetAfter ? "gru" : "gru_reset_before";
    return "rnn_tanh";
  }

  override describe(): string {
    return `Keras${CELL_OF[this.kind]}(units=${this.units})`;
  }

  /** The options as JSON (camelCase; initializers, regularizers and constraints as `{ className, config }`). */
  override getConfig(): LayerConfig {
    const config = kerasOptionsConfig(this.kind, this.options);
    if (this.rnn !== null) config["inputDim"] = this.rnn.inputSize;
    return config;
  }

  /**
   * Creates the parameters for input size `inputDim`, initialised as Keras does on Keras's
   * shapes: kernelInitializer on (I, G), recurrentInitializer on (H, G), biasInitializer on the
   * bias (LSTM with unitForgetBias: the forget block set to 1). Building twice with the same size
   * does nothing; another size throws.
   */
  build(inputDim: number): void {
    const where = `${this.describe()}.build`;
    if (!Number.isInteger(inputDim) || inputDim < 1) throw new Error(`${where}: inputDim must be a positive integer, got ${describeArg(inputDim)}`);
    if (this.rnn !== null) {
      if (this.rnn.inputSize !== inputDim) throw new Error(`${where}: the layer was built for input size ${this.rnn.inputSize}, got ${inputDim}`);
      return;
    }
    const o = this.options;
    const core = new KerasCore({
      name: this.describe(),
      cell: this.cell,
      inputSize: inputDim,
      hiddenSize: o.units,
      batchFirst: !o.timeMajor,
      bias: o.useBias,
      recurrentBias: o.useBias && this.kind === "gru" && o.resetAfter,
      activation: o.activation,
      recurrentActivation: o.recurrentActivation,
      dropout: o.dropout,
      recurrentDropout: o.recurrentDropout,
      generator: this.#generator,
    });
    core.train(this.training);
    const G = core.spec.gatesPerUnit * o.units;
    const draw = (init: Initializer, shape: number[]): Tensor => {
      // An initializer with a seed of its own keeps it; the others draw from the layer's generator.
      const own = init.getConfig()["seed"];
      return this.#generator !== null && (own === undefined || own === null) ? init.apply(shape, this.#generator) : init.apply(shape);
    };
    const weights = [draw(o.kernelInitializer, [inputDim, G]), draw(o.recurrentInitializer, [o.units, G])];
    if (o.useBias) weights.push(this.initialBias(draw, G, core.stateDict()["bias_hh_l0"] !== undefined));
    setKerasWeights(where, core, weights);
    this.rnn = core;
  }

  private initialBias(draw: (init: Initializer, shape: number[]) => Tensor, G: number, two: boolean): Tensor {
    const o = this.options;
    if (two) return draw(o.biasInitializer, [2, G]);
    if (!o.unitForgetBias) return draw(o.biasInitializer, [G]);
    // Keras: concat(init(H), ones(H), init(2H)) in its order i|f|c|o.
    const H = o.units;
    const bias = new Float32Array(G);
    bias.set(draw(o.biasInitializer, [H]).data, 0);
    bias.fill(1, H, 2 * H);
    bias.set(draw(o.biasInitializer, [2 * H]).data, 2 * H);
    return new Tensor(bias, [G]);
  }

  private core(where: string): KerasCore {
    if (this.rnn === null) throw new Error(`${where}: the layer is not built yet; give inputDim, call build(inputDim), or call the layer once`);
    return this.rnn;
  }

  /** The weights in Keras's layout and gate order: [kernel (I, G), recurrent_kernel (H, G), bias] (copies). */
  getWeights(): Tensor[] {
    return getKerasWeights(this.core(`${this.describe()}.getWeights`));
  }

  /** Sets the weights from Keras's layout (as `getWeights()` returns them, or as Keras/TF.js `get_weights()` gives them). */
  setWeights(weights: readonly StateDictEntry[]): void {
    setKerasWeights(`${this.describe()}.setWeights`, this.core(`${this.describe()}.setWeights`), weights);
  }

  /** Keras's weight names, in `getWeights()` order. */
  weightNames(): string[] {
    return kerasWeightNames(this.core(`${this.describe()}.weightNames`));
  }

  /**
   * Runs the layer; see the file comment for shapes. `initialState` overrides the kept state of a
   * stateful layer. `opts.lengths` (PyTorch's packed semantics) or `opts.mask` (Keras's) select
   * the real steps; a mask attached by Masking or Embedding({ maskZero }) is used when neither is
   * given.
   */
  forward(x: Tensor, initialState?: KerasStateInput | null, opts?: SequenceOptions): KerasRecurrentOutput {
    const r = this.call(x, initialState, opts);
    return this.options.returnState ? [r.output, ...r.states] : r.output;
  }

  /** `forward` with its result typed: `{ output, states }`. */
  call(x: Tensor, initialState?: KerasStateInput | null, opts?: SequenceOptions): KerasCallResult {
    const where = `${this.describe()}.forward`;
    const o = this.options;
    if (!(x instanceof Tensor) || x.ndim !== 3) {
      throw new Error(`${where}: input must be a Tensor of 3 dims ${o.timeMajor ? "(T, B, I)" : "(B, T, I)"}, got ${x instanceof Tensor ? shapeStr(x.shape) : describeArg(x)}`);
    }
    const T = o.timeMajor ? x.shape[0]! : x.shape[1]!;
    const B = o.timeMajor ? x.shape[1]! : x.shape[0]!;
    this.build(x.shape[2]!);
    const core = this.core(where);
    if (o.stateful && initialState == null) {
      if (this.#statefulBatch !== null && this.#statefulBatch !== B) {
        throw new Error(`${where}: the layer is stateful and its batch size is fixed at ${this.#statefulBatch} by its first call, but x has B = ${B}; a stateful layer carries row b's state to row b of the next batch`);
      }
      this.#statefulBatch = B;
    }
    const start = initialState != null ? this.readState(where, initialState, B) : o.stateful ? this.#states : null;
    let input = x;
    let seqOpts = opts;
    if (o.goBackwards) [input, seqOpts] = this.reversed(where, x, T, B, opts);
    const state: CellState | null =
      start === null ? null : start.length === 2 ? { h: reshape(start[0]!, [1, B, o.units]), c: reshape(start[1]!, [1, B, o.units]) } : { h: reshape(start[0]!, [1, B, o.units]) };
    const [seq, final] = core.forwardState(input, state, seqOpts);
    const states = final.c === undefined ? [select(final.h, 0, 0)] : [select(final.h, 0, 0), select(final.c, 0, 0)];
    if (o.stateful) this.#states = states.map(detached);
    const output = !o.returnSequences ? states[0]! : o.zeroOutputForMask ? zeroMaskedSteps(where, seq, input, seqOpts, o.timeMajor) : seq;
    // Keras hands a sequence-returning layer's input mask on to the next layer.
    const handed = o.returnSequences ? maskOf(x) : null;
    if (handed !== null) attachMask(output, handed);
    if (o.activityRegularizer !== null) {
      const outs = o.returnState ? [output, ...states] : [output];
      this.#activity = outs.map((t) => o.activityRegularizer!.penalty(t)).reduce((a, b) => a.add(b));
    }
    return { output, states };
  }

  /** x reversed along time with its mask (attached, given, or made from lengths) reversed alongside. */
  private reversed(where: string, x: Tensor, T: number, B: number, opts: SequenceOptions | undefined): [Tensor, SequenceOptions] {
    const tm = this.options.timeMajor;
    const limits = inputLimits(where, x, opts, T, B, tm);
    const index = new Int32Array(T * B);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) index[tm ? t * B + b : b * T + t] = tm ? (T - 1 - t) * B + b : b * T + (T - 1 - t);
    const flipped = reshape(gatherRows(reshape(x, [T * B, x.shape[2]!]), index), x.shape);
    if (limits === null) return [flipped, {}];
    // Lengths become a keep mask here: read backwards, padding at the end comes first.
    const keep = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const src = T - 1 - t;
        keep[b * T + t] = limits.kind === "lengths" ? (src < limits.lengths[b]! ? 1 : 0) : limits.mask[src * B + b]!;
      }
    }
    return [flipped, { mask: new Tensor(keep, [B, T]) }];
  }

  private readState(where: string, s: KerasStateInput, B: number): Tensor[] {
    const n = this.kind === "lstm" ? 2 : 1;
    const list: unknown[] = Array.isArray(s) ? [...(s as readonly unknown[])] : typeof s === "object" && s !== null ? [Reflect.get(s, "h"), ...(n === 2 ? [Reflect.get(s, "c")] : [])] : [];
    const form = n === 2 ? "[h, c] or { h, c }" : "[h] or { h }";
    if (list.length !== n) throw new Error(`${where}: initialState must be ${form}, each (B, H) = (${B}, ${this.units}), got ${describeArg(s)}`);
    return list.map((t, k) => {
      if (!(t instanceof Tensor) || t.ndim !== 2 || t.shape[0] !== B || t.shape[1] !== this.units) {
        throw new Error(`${where}: initialState[${k}] must be a Tensor of shape (B, H) = (${B}, ${this.units}), got ${t instanceof Tensor ? shapeStr(t.shape) : describeArg(t)}`);
      }
      return t;
    });
  }

  /**
   * One time step of streaming inference: x (B, I) → the step's output (B, H), the state kept in
   * the layer between calls (the same state a stateful layer keeps). Equal to the matching step
   * of `forward` over the whole sequence. Not for goBackwards layers (they read the future).
   */
  step(x: Tensor): Tensor {
    const where = `${this.describe()}.step`;
    if (this.options.goBackwards) throw new Error(`${where}: a goBackwards layer reads the sequence from its end and cannot run step by step`);
    if (!(x instanceof Tensor) || x.ndim !== 2) throw new Error(`${where}: x must be one time step (B, I), got ${x instanceof Tensor ? shapeStr(x.shape) : describeArg(x)}`);
    const B = x.shape[0]!;
    this.build(x.shape[1]!);
    const kept = this.#states;
    if (kept !== null && kept[0]!.shape[0] !== B) throw new Error(`${where}: the kept state is for a batch of ${kept[0]!.shape[0]}, but x has B = ${B}; call resetStates() or setState() first`);
    const seq = reshape(x, this.options.timeMajor ? [1, B, x.shape[1]!] : [B, 1, x.shape[1]!]);
    const state: CellState | null = kept === null ? null : kept.length === 2 ? { h: reshape(kept[0]!, [1, B, this.units]), c: reshape(kept[1]!, [1, B, this.units]) } : { h: reshape(kept[0]!, [1, B, this.units]) };
    const [, final] = this.core(where).forwardState(seq, state);
    const states = final.c === undefined ? [select(final.h, 0, 0)] : [select(final.h, 0, 0), select(final.c, 0, 0)];
    this.#states = states.map(detached);
    return states[0]!;
  }

  /** The kept states ([h] or [h, c], each (B, H)), or null when there are none. */
  getState(): Tensor[] | null {
    return this.#states === null ? null : [...this.#states];
  }

  /** Sets the kept states ([h] or [h, c], each (B, H)); null forgets them. */
  setState(states: KerasStateInput | null): void {
    if (states === null) {
      this.#states = null;
      return;
    }
    const first: unknown = Array.isArray(states) ? (states as readonly unknown[])[0] : Reflect.get(states, "h");
    const B = first instanceof Tensor && first.ndim === 2 ? first.shape[0]! : 0;
    this.#states = this.readState(`${this.describe()}.setState`, states, B).map(detached);
  }

  /** Forgets the kept states: the next call (or step) starts from zeros. A stateful layer keeps its fixed batch size. */
  resetStates(): void {
    this.#states = null;
  }

  /**
   * The layer's penalties as one 0-d tensor on the tape, or null: the weight regularizers on the
   * weights in Keras's layout, plus the activity regularizer's penalty of the latest call
   * (consumed: a second call returns only the weight penalties). `fit` adds it to the loss it
   * minimises, `evaluate` to the loss it reports.
   */
  regularizationLoss(): Tensor | null {
    const o = this.options;
    const parts: Tensor[] = [];
    if (this.rnn !== null) {
      const p = this.rnn.stateDict();
      const add = (r: Regularizer | null, t: () => Tensor): void => {
        if (r !== null) parts.push(r.penalty(t()));
      };
      add(o.kernelRegularizer, () => this.kerasView(p["weight_ih_l0"]!));
      add(o.recurrentRegularizer, () => this.kerasView(p["weight_hh_l0"]!));
      if (p["bias_ih_l0"] !== undefined) {
        add(o.biasRegularizer, () => {
          const b = this.kerasView(reshape(p["bias_ih_l0"]!, [-1, 1]));
          return p["bias_hh_l0"] === undefined ? reshape(b, [-1]) : concat([b, this.kerasView(reshape(p["bias_hh_l0"]!, [-1, 1]))], 0);
        });
      }
    }
    if (this.#activity !== null) parts.push(this.#activity);
    this.#activity = null;
    return parts.length === 0 ? null : parts.reduce((a, b) => a.add(b));
  }

  /** A (G, n) inside weight as the Keras (n, G) tensor, on the tape, so a penalty's gradient reaches the weight. */
  private kerasView(w: Tensor): Tensor {
    const t = transpose(w, 0, 1); // (n, G), PyTorch's gate order
    const perm = gatePermutation(kerasCellGates(this.cell), "pytorch", "keras");
    const H = this.units;
    return perm.every((p, k) => p === k) ? t : concat(perm.map((p) => slice(t, 1, p * H, (p + 1) * H)), 1);
  }

  /** Applies the constraints to the weights in Keras's layout (after an optimiser step; `fit` calls it). */
  applyConstraints(): void {
    const o = this.options;
    if (this.rnn === null || (o.kernelConstraint === null && o.recurrentConstraint === null && o.biasConstraint === null)) return;
    const weights = this.getWeights();
    const cons = [o.kernelConstraint, o.recurrentConstraint, o.biasConstraint];
    weights.forEach((w, k) => cons[k]?.apply(w));
    this.setWeights(weights);
  }
}

function kerasCellGates(cell: CellName): "lstm" | "gru" | "rnn_tanh" {
  const c = kerasCellOf(cell);
  return c === "lstm" ? "lstm" : c === "gru" || c === "gru_reset_before" ? "gru" : "rnn_tanh";
}
