import { Tensor } from "../../tensor/tensor.js";
import { shapeStr, sizeOf } from "../../tensor/shape.js";
import { concat, stack, select, transpose, reshape } from "../../autograd/ops/shape.js";
import { dropout } from "../../autograd/ops/dropout.js";
import { Module, requireFinite, type LayerConfig } from "../module.js";
import type { OptionSchema } from "../options.js";
import { cellParam } from "../init.js";
import { cellFor } from "../cells/registry.js";
import { activeParams, type CellActivations, type CellName, type CellParams, type CellSpec, type CellState } from "../cells/spec.js";
import { resolveActivation } from "../cells/variant.js";
import type { ActivationName } from "../activations.js";
import { parseState, typedState } from "../cells/state.js";
import { recurrentDirection } from "./recurrent-op.js";
import { directionPlan, type DirectionPlan } from "../utils/sequence-plan.js";
import { sequenceLimits, type SequenceOptions } from "../utils/sequence-options.js";
import { maskOf } from "../utils/mask.js";

/** Options shared by every recurrent layer (PyTorch's names in camelCase). */
export interface RNNBaseOptions {
  /** Features per time step of the input, I. */
  inputSize: number;
  /** Features of the hidden state, H. */
  hiddenSize: number;
  /** Stacked layers L; layer l+1 reads layer l's output sequence. Default 1. */
  numLayers?: number;
  /** Learn the cell's biases (b_ih and b_hh for PyTorch's cells). Default true. */
  bias?: boolean;
  /** Input and output are (B, T, ·) instead of (T, B, ·). States stay (L·D, B, ·). Default false. */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode. Default 0. */
  dropout?: number;
  /** Run a second direction over the reversed sequence and concatenate the outputs (D = 2). Default false. */
  bidirectional?: boolean;
  /**
   * With `bias`, learn bias_hh as well as bias_ih. Default true (PyTorch's two biases); false gives
   * Keras's single bias: the layers have no `bias_hh_*` parameters. Cells with a bias_hh only.
   */
  recurrentBias?: boolean;
  /**
   * The candidate/output nonlinearity (Keras's `activation`: LSTM's g and tanh(c), GRU's n, the
   * plain RNN's h), any name of `activationNames()` or a Keras spelling (`hard_sigmoid`). Default
   * the cell's (tanh). Cells that declare activations only (lstm, gru, gru_reset_before, rnn_*).
   */
  activation?: ActivationName;
  /**
   * The gate nonlinearity (Keras's `recurrentActivation`: LSTM's i, f, o; GRU's r, z). Default the
   * cell's (sigmoid; note Keras 2's default was hardSigmoid). Gated cells that declare activations only.
   */
  recurrentActivation?: ActivationName;
}

/** The run-time schema of RNNBaseOptions; layers extend it with their own options. */
export const RNN_BASE_SCHEMA: OptionSchema = {
  inputSize: { type: "integer", min: 1, optional: false, doc: "input features I" },
  hiddenSize: { type: "integer", min: 1, optional: false, doc: "hidden features H" },
  numLayers: { type: "integer", min: 1, doc: "stacked layers, default 1" },
  bias: { type: "boolean", doc: "learn the biases, default true" },
  batchFirst: { type: "boolean", doc: "(B, T, ·) input and output, default false" },
  dropout: { type: "number", min: 0, max: 1, exclusiveMax: true, doc: "dropout between layers, default 0" },
  bidirectional: { type: "boolean", doc: "two directions, default false" },
  recurrentBias: { type: "boolean", doc: "learn bias_hh besides bias_ih, default true" },
  activation: { type: "string", doc: "candidate nonlinearity, default the cell's (tanh)" },
  recurrentActivation: { type: "string", doc: "gate nonlinearity, default the cell's (sigmoid)" },
};

export interface RecurrentOutput {
  out: Tensor; // (T, B, D·P) or (B, T, D·P)
  hN: Tensor; // (L·D, B, P)
  cN: Tensor | null; // (L·D, B, H)
}

/**
 * Everything recurrent layers share, written once for every cell: parameters in the cell spec's
 * names and order (PyTorch's for its cells), stacking, directions, batch-first layout, initial
 * states, dropout between layers and input checks. A subclass only names its cell (which picks
 * the fused kernel, or the generic path) and types its forward.
 */
export abstract class RNNBase extends Module {
  /** The layer's name in messages, e.g. "LSTM". */
  readonly layerName: string;
  /** The registered cell this layer runs. */
  readonly cell: CellName;
  /** That cell's spec. */
  readonly spec: CellSpec;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Whether the layers have bias_hh besides bias_ih (with `bias`). */
  readonly recurrentBias: boolean;
  /** The nonlinearities the cell runs with, or null for a cell with fixed ones (no CellVariant). */
  readonly activations: CellActivations | null;
  /** Output/recurrent width P: projSize for a projected layer, else hiddenSize. */
  readonly outputSize: number;
  /** Projection size, 0 when there is none. */
  readonly projSize: number;
  private readonly dirParams: CellParams[][] = []; // [layer][direction]

  /** `opts` must already be checked against the layer's schema (checkOptions). */
  protected constructor(layerName: string, cell: CellName, opts: RNNBaseOptions & { projSize?: number }) {
    super();
    this.layerName = layerName;
    this.cell = cell;
    this.spec = cellFor(layerName, cell);
    this.inputSize = opts.inputSize;
    this.hiddenSize = opts.hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = opts.dropout ?? 0;
    this.bidirectional = opts.bidirectional ?? false;
    this.recurrentBias = opts.recurrentBias ?? true;
    if (!this.recurrentBias && !this.spec.parameters.some((p) => p.suffix === "bias_hh")) {
      throw new Error(`${layerName}: cell "${cell}" has no bias_hh; recurrentBias: false applies to cells with PyTorch's two biases`);
    }
    this.activations = layerActivations(layerName, this.spec, opts);
    const projSize = opts.projSize ?? 0;
    if (projSize > 0 && !this.spec.projection) throw new Error(`${layerName}: cell "${cell}" has no projection; projSize must be 0, got ${projSize}`);
    if (projSize >= opts.hiddenSize) throw new Error(`${layerName}: projSize must be smaller than hiddenSize (${opts.hiddenSize}), got ${projSize}`);
    this.projSize = projSize;
    this.outputSize = projSize > 0 ? projSize : opts.hiddenSize;

    const H = this.hiddenSize;
    const P = this.outputSize;
    const G = this.spec.gatesPerUnit * H;
    const D = this.numDirections;
    const params = activeParams(this.spec, this.bias, projSize > 0, this.recurrentBias);
    for (let l = 0; l < this.numLayers; l++) {
      const layer: CellParams[] = [];
      const I = l === 0 ? this.inputSize : P * D;
      for (let d = 0; d < D; d++) {
        const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
        const named: Record<string, Tensor> = {};
        for (const p of params) named[p.suffix] = this.registerParameter(`${p.suffix}${sfx}`, cellParam(p.shape({ I, H, P, G }), p.init, H));
        layer.push(named);
      }
      this.dirParams.push(layer);
    }
  }

  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  override describe(): string {
    return `${this.layerName}(hiddenSize=${this.hiddenSize})`;
  }

  /**
   * The constructor options as JSON; `new (layer.constructor)(layer.getConfig())` rebuilds an equal
   * layer. `recurrentBias`, `activation` and `recurrentActivation` appear only when they differ
   * from the defaults, so configs of default layers stay as they were.
   */
  override getConfig(): LayerConfig {
    const config: LayerConfig = {
      inputSize: this.inputSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bias: this.bias,
      batchFirst: this.batchFirst,
      dropout: this.dropout,
      bidirectional: this.bidirectional,
    };
    if (!this.recurrentBias) config["recurrentBias"] = false;
    const a = this.activations;
    const d = this.spec.activations;
    if (a !== null && d !== undefined) {
      if (a.candidate !== d.candidate) config["activation"] = a.candidate;
      if (a.gate !== d.gate) config["recurrentActivation"] = a.gate;
    }
    return config;
  }

  /**
   * The variational recurrent dropout mask (B, P) of one layer and direction for the call being
   * run (see CellVariant.recurrentMask), or null for none. The default is none; a layer with
   * recurrent dropout overrides it. Called once per layer and direction by every `forward` and
   * every streaming `step` (which is a forward of one time step), with the call's batch size B.
   */
  protected recurrentMaskFor(layer: number, direction: number, B: number): Tensor | null {
    void layer;
    void direction;
    void B;
    return null;
  }

  /**
   * Runs the stack from a typed state (`{ h }` or `{ h, c }`, keyed by the cell's states; zeros
   * when omitted) and returns [output, final state] in the same form. Any cell gets this,
   * including user-defined ones.
   */
  forwardState(x: Tensor, state?: CellState | null, opts?: SequenceOptions): [Tensor, CellState] {
    const r = this.runWith(x, state, opts);
    return [r.out, typedState(r.hN, r.cN)];
  }

  /** Reads a state in any accepted form (see cells/state.ts) and runs the stack. */
  protected runWith(x: Tensor, state: unknown, opts?: SequenceOptions): RecurrentOutput {
    const s = parseState(`${this.describe()}.forward`, this.spec, state);
    return this.run(x, s.h, s.c, opts);
  }

  #stream: CellState | null = null;

  /**
   * One time step of token-by-token inference: `x` is (B, I) (or (I) for one unbatched sequence);
   * the state is kept inside the layer between calls, starting from zeros (or `setState`). Returns
   * the step's output (B, P), the same values, bit for bit, as `forward` over the whole sequence
   * gives at that step. Unidirectional layers only (a backward direction needs the future).
   * `opts.mask` (B booleans) skips rows as a Keras mask does: a masked row keeps its state and
   * outputs its current h.
   */
  step(x: Tensor, opts?: { mask?: ArrayLike<boolean | number> }): Tensor {
    const where = `${this.describe()}.step`;
    if (this.bidirectional) throw new Error(`${where}: a bidirectional layer cannot run step by step (its backward direction reads the whole sequence)`);
    if (!(x instanceof Tensor) || (x.ndim !== 1 && x.ndim !== 2)) {
      throw new Error(`${where}: x must be one time step (B, I) or (I), got ${x instanceof Tensor ? shapeStr(x.shape) : typeof x}`);
    }
    const unbatched = x.ndim === 1;
    const B = unbatched ? 1 : x.shape[0]!;
    const seq = reshape(x, this.batchFirst ? [B, 1, x.shape[x.ndim - 1]!] : [1, B, x.shape[x.ndim - 1]!]);
    const kept = this.#stream;
    if (kept !== null && kept.h.shape[1] !== B) {
      throw new Error(`${where}: the kept state is for a batch of ${kept.h.shape[1]}, but x has B = ${B}; call resetStates() or setState() first`);
    }
    const rowMask = opts?.mask;
    if (rowMask !== undefined && rowMask.length !== B) throw new Error(`${where}: mask has ${rowMask.length} entries but x has B = ${B} rows`);
    const seqOpts = rowMask === undefined ? undefined : { mask: Array.from({ length: B }, (_, b) => [Boolean(rowMask[b])]) };
    const r = this.run(seq, kept?.h ?? null, kept?.c ?? null, seqOpts);
    this.#stream = typedState(r.hN, r.cN);
    const W = this.outputSize;
    return reshape(r.out, unbatched ? [W] : [B, W]);
  }

  /** The state `step` carries ({ h } or { h, c }, each (L, B, ·)), or null before the first step. */
  getState(): CellState | null {
    return this.#stream;
  }

  /** Sets the state the next `step` starts from ({ h } or { h, c }, each (L, B, ·)); null resets it. */
  setState(state: CellState | null): void {
    if (state === null) {
      this.#stream = null;
      return;
    }
    const s = parseState(`${this.describe()}.setState`, this.spec, state);
    if (s.h === null || s.h.ndim !== 3) throw new Error(`${this.describe()}.setState: h must be (numLayers, B, P), got ${s.h === null ? "nothing" : shapeStr(s.h.shape)}`);
    this.#stream = typedState(s.h, s.c);
  }

  /** Forgets the state `step` carries: the next step starts from zeros. */
  resetStates(): void {
    this.#stream = null;
  }

  /**
   * Runs the whole stack. `x` is (T, B, I), (B, T, I) with batchFirst, or unbatched (T, I).
   * Missing initial states are zeros.
   */
  protected run(x: Tensor, h0: Tensor | null, c0: Tensor | null, opts?: SequenceOptions): RecurrentOutput {
    const where = `${this.describe()}.forward`;
    const L = this.numLayers;
    const D = this.numDirections;
    const H = this.hiddenSize;
    const P = this.outputSize;
    const hasC = this.spec.states.length === 2;
    if (!(x instanceof Tensor)) throw new Error(`${where}: input must be a Tensor, got ${typeof x}`);
    const unbatched = x.ndim === 2;
    if (x.ndim !== 2 && x.ndim !== 3) {
      const layout = this.batchFirst ? "(B, T, I)" : "(T, B, I)";
      throw new Error(`${where}: input must have 3 dims ${layout} or 2 dims (T, I), got shape ${shapeStr(x.shape)}`);
    }
    const lastDim = x.shape[x.ndim - 1]!;
    if (lastDim !== this.inputSize) {
      const layout = unbatched ? "(T, I)" : this.batchFirst ? "(B, T, I)" : "(T, B, I)";
      throw new Error(`${where}: input has ${x.ndim} dims ${layout} = (${x.shape.join(", ")}) but I must be ${this.inputSize}`);
    }
    if (sizeOf(x.shape) === 0) throw new Error(`${where}: input shape ${shapeStr(x.shape)} is empty; T and B must be at least 1`);
    requireFinite(where, "input", x);

    let seq = unbatched ? reshape(x, [x.shape[0]!, 1, lastDim]) : this.batchFirst ? transpose(x, 0, 1) : x; // (T, B, I)
    const B = seq.shape[1]!;
    const stateShape = (w: number): number[] => (unbatched ? [L * D, w] : [L * D, B, w]);
    const checkState = (s: Tensor | null, arg: string, w: number): Tensor | null => {
      if (s === null) return null;
      const want = stateShape(w);
      if (s.ndim !== want.length || s.shape.some((d, i) => d !== want[i])) {
        throw new Error(`${where}: ${arg} must have shape ${shapeStr(want)} (numLayers·numDirections, ${unbatched ? "" : "B, "}${arg === "c0" ? "H" : "P"}), got ${shapeStr(s.shape)}`);
      }
      requireFinite(where, arg, s);
      return unbatched ? reshape(s, [L * D, 1, w]) : s;
    };
    const h0b = checkState(h0, "h0", P);
    const c0b = hasC ? checkState(c0, "c0", H) : null;
    // Lengths or a mask: the same packed plan for every layer, one per direction.
    // A mask attached by Masking or Embedding({ maskZero }) has the layout of x's first two dims.
    const attached = unbatched ? null : maskOf(x);
    const implicit = attached === null || this.batchFirst ? attached : transpose(attached, 0, 1);
    const limits = sequenceLimits(where, opts, seq.shape[0]!, B, implicit);
    const plans: (DirectionPlan | null)[] = [];
    for (let d = 0; d < D; d++) plans.push(limits === null ? null : directionPlan(limits, seq.shape[0]!, B, d === 1));

    const hNs: Tensor[] = [];
    const cNs: Tensor[] = [];
    for (let l = 0; l < L; l++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const k = l * D + d;
        const hInit = h0b !== null ? select(h0b, 0, k) : new Tensor(new Float32Array(B * P), [B, P]);
        const cInit = !hasC ? null : c0b !== null ? select(c0b, 0, k) : new Tensor(new Float32Array(B * H), [B, H]);
        const mask = this.recurrentMaskFor(l, d, B);
        const variant = this.activations === null && mask === null ? undefined : { ...(this.activations === null ? {} : { activations: this.activations }), recurrentMask: mask };
        const r = recurrentDirection(this.spec, seq, hInit, cInit, this.dirParams[l]![d]!, H, d === 1, plans[d]!, variant);
        outs.push(r.out);
        hNs.push(r.hN);
        if (r.cN !== null) cNs.push(r.cN);
      }
      seq = D === 1 ? outs[0]! : concat(outs, 2);
      if (l < L - 1 && this.dropout > 0) seq = dropout(seq, this.dropout, this.training);
    }
    let hN = stack(hNs, 0);
    let cN = cNs.length > 0 ? stack(cNs, 0) : null;
    let out = seq;
    if (unbatched) {
      out = reshape(out, [out.shape[0]!, D * P]);
      hN = reshape(hN, [L * D, P]);
      if (cN !== null) cN = reshape(cN, [L * D, H]);
    } else if (this.batchFirst) out = transpose(out, 0, 1);
    return { out, hN, cN };
  }
}

/**
 * The nonlinearities a layer's options choose (canonical names), the cell's defaults for those not
 * given; null for a cell with fixed nonlinearities, which then must not be given any.
 */
function layerActivations(where: string, spec: CellSpec, opts: RNNBaseOptions): CellActivations | null {
  const d = spec.activations;
  if (d === undefined) {
    const given = (["activation", "recurrentActivation"] as const).find((k) => opts[k] !== undefined);
    if (given !== undefined) throw new Error(`${where}: cell "${spec.name}" has fixed nonlinearities; option ${given} is not accepted`);
    return null;
  }
  if (spec.gatesPerUnit === 1 && opts.recurrentActivation !== undefined) {
    throw new Error(`${where}: cell "${spec.name}" has no gates; option recurrentActivation is not accepted (use activation)`);
  }
  return {
    gate: opts.recurrentActivation === undefined ? d.gate : resolveActivation(where, "recurrentActivation", opts.recurrentActivation),
    candidate: opts.activation === undefined ? d.candidate : resolveActivation(where, "activation", opts.activation),
  };
}
