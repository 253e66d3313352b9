import { activeBackend } from "../backends/registry.js";
import type { OptimizerKernels } from "../backends/optim-kernels.js";
import type { ParamLike } from "./param.js";
import { rate, show } from "./validate.js";
import { parseBufferKey, type OptimizerState, type OptionValue } from "./state.js";

/** Options every optimiser has. */
export interface BaseResolvedOptions {
  lr: number;
}

/**
 * The part shared by all optimisers: the parameter list, per-parameter step counts and named
 * state buffers, `zeroGrad`, the learning rate, and checkpoint state.
 *
 * A subclass supplies the update rule for one parameter (`update`), which buffers its options
 * use (`activeSlots`) and how to validate options read back from a checkpoint (`decodeOptions`).
 * Buffers are created lazily on a parameter's first update, as PyTorch does, which is what
 * makes SGD's first momentum step copy the gradient instead of decaying a zero buffer.
 * A subclass may also run all parameters at once through a backend's fused kernel
 * (`fusedUpdate`), which must give the same bits as `update`.
 */
export abstract class Optimizer<O extends BaseResolvedOptions = BaseResolvedOptions> {
  /** "SGD", "Adam", "AdamW" or "RMSprop"; recorded in the state so a checkpoint is not loaded into another kind. */
  readonly kind: string;
  readonly params: readonly ParamLike[];
  protected options: O;
  private steps: number[];
  private readonly slots = new Map<string, (Float32Array | null)[]>();
  /** The parameters a step updates, and the scratch of `inGroups`, reused from step to step. */
  private readonly updating: number[] = [];
  private readonly groupRest: number[] = [];
  private readonly groupRun: number[] = [];

  /**
   * Whether `step()` may run the update through the active backend's fused kernel (the wasm
   * backend has one for SGD, Adam, AdamW and RMSprop: one call for all parameters instead of a
   * JavaScript loop per parameter). The results are bit-identical either way; false forces the
   * JavaScript loops, for comparisons and measurements. Default true.
   */
  useBackendKernels = true;

  protected constructor(kind: string, params: Iterable<ParamLike>, options: O) {
    this.kind = kind;
    this.params = checkParams(kind, params);
    this.options = options;
    this.steps = this.params.map(() => 0);
  }

  /** Applies the update rule of `params[index]` in place; `step` is its 1-based update count. */
  protected abstract update(index: number, data: Float32Array, grad: Float32Array, step: number): void;

  /**
   * Updates the parameters `indices` (each with a gradient, its step count already advanced)
   * through a backend's fused kernels, bit-identically to `update`. Returns false, having done
   * nothing, where this optimiser has no fused form; then `update` runs for each.
   */
  protected fusedUpdate(_kernels: OptimizerKernels, _indices: readonly number[]): boolean {
    return false;
  }

  /**
   * Calls `run(k, group)` for each distinct `key(i)` of `indices`, with the indices of that key in
   * their order; arrays are reused, so a step allocates nothing here. Pass functions held in
   * fields, not closures made per call.
   */
  protected inGroups(indices: readonly number[], key: (index: number) => number, run: (k: number, group: readonly number[]) => void): void {
    const rest = this.groupRest;
    const group = this.groupRun;
    rest.length = 0;
    for (let j = 0; j < indices.length; j++) rest.push(indices[j]);
    while (rest.length > 0) {
      const k = key(rest[0]);
      group.length = 0;
      let kept = 0;
      for (let j = 0; j < rest.length; j++) {
        const i = rest[j];
        if (key(i) === k) group.push(i);
        else rest[kept++] = i;
      }
      rest.length = kept;
      run(k, group);
    }
  }

  /** The update count of `params[index]`, for `fusedUpdate`. */
  protected stepOf(index: number): number {
    return this.steps[index];
  }

  /** Names of the buffers a parameter has after its first update, under the given options. */
  protected abstract activeSlots(options: O): readonly string[];

  /** Validates options read from a checkpoint (unknown names, ranges) and fills defaults. */
  protected abstract decodeOptions(record: Record<string, OptionValue>): O;

  /** Registers a per-parameter buffer list under its PyTorch state name; subclasses call it in field initialisers. */
  protected slot(name: string): (Float32Array | null)[] {
    const list: (Float32Array | null)[] = this.params.map(() => null);
    this.slots.set(name, list);
    return list;
  }

  /**
   * One update of every parameter that has a gradient. Parameters whose `grad` is null are
   * skipped and keep their state and step count, as in PyTorch.
   */
  step(): void {
    // Checked before any update so that a bad gradient leaves every parameter as it was.
    this.params.forEach((p, i) => {
      if (p.grad !== null && p.grad.data.length !== p.data.length) {
        throw new RangeError(
          `${this.kind}.step: parameter ${i} (shape [${p.shape.join(", ")}]) has ${p.data.length} elements but its gradient has ${p.grad.data.length}`,
        );
      }
    });
    const updating = this.updating;
    updating.length = 0;
    for (let i = 0; i < this.params.length; i++) {
      if (this.params[i].grad === null) continue;
      this.steps[i] += 1;
      updating.push(i);
    }
    const kernels = this.useBackendKernels ? (activeBackend()?.optimizer ?? null) : null;
    if (kernels !== null && this.fusedUpdate(kernels, updating)) return;
    for (const i of updating) {
      const p = this.params[i];
      if (p.grad !== null) this.update(i, p.data, p.grad.data, this.steps[i]);
    }
  }

  /**
   * Clears gradients before the next backward pass. With `setToNone = true` (the default,
   * matching PyTorch 2.x's `zero_grad(set_to_none=True)`) each `grad` becomes null, so the next
   * backward allocates fresh gradients and a parameter that gets none is skipped by `step()`.
   * With `false` the gradient buffers are kept and filled with zeros, so such a parameter is
   * still updated (weight decay and momentum keep acting on it), as in PyTorch.
   */
  zeroGrad(setToNone = true): void {
    for (const p of this.params) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else p.grad.data.fill(0);
    }
  }

  /** The learning rate, read and set by schedulers between steps. */
  get lr(): number {
    return this.options.lr;
  }

  set lr(value: number) {
    this.options.lr = rate(this.kind, "lr", value);
  }

  /** The resolved options, copied. */
  getOptions(): Record<string, OptionValue> {
    return encodeOptions(this.options);
  }

  /** A copy of the full state (see `OptimizerState`); later steps do not change it. */
  stateDict(): OptimizerState {
    const buffers: Record<string, Float32Array> = {};
    for (const [name, list] of this.slots) {
      list.forEach((buf, i) => {
        if (buf !== null) buffers[`${name}.${i}`] = buf.slice();
      });
    }
    return { kind: this.kind, options: this.getOptions(), step: this.steps.slice(), buffers };
  }

  /**
   * Restores a state from `stateDict()`, options included (as PyTorch's `load_state_dict`
   * restores its hyper-parameters). Everything is checked before anything is changed: the kind,
   * the options, the parameter count, and each buffer's name, index and element count.
   * Buffers are copied, so the state object can be reused.
   */
  loadStateDict(state: OptimizerState): void {
    const where = `${this.kind}.loadStateDict`;
    if (state === null || typeof state !== "object") {
      throw new TypeError(`${where}: state must be an object from stateDict(), got ${String(state)}`);
    }
    if (state.kind !== this.kind) {
      throw new TypeError(`${where}: the state is for ${String(state.kind)}, not ${this.kind}`);
    }
    if (state.options === null || typeof state.options !== "object") {
      throw new TypeError(`${where}: state.options must be an object, got ${String(state.options)}`);
    }
    const options = this.decodeOptions(state.options);
    const n = this.params.length;
    if (!Array.isArray(state.step) || state.step.length !== n) {
      const got = Array.isArray(state.step) ? `${state.step.length}` : String(state.step);
      throw new RangeError(`${where}: the state has step counts for ${got} parameters but this optimizer has ${n}`);
    }
    state.step.forEach((s, i) => {
      if (!Number.isSafeInteger(s) || s < 0) {
        throw new RangeError(`${where}: step[${i}] must be a non-negative integer, got ${String(s)}`);
      }
    });
    if (state.buffers === null || typeof state.buffers !== "object") {
      throw new TypeError(`${where}: state.buffers must be an object, got ${String(state.buffers)}`);
    }
    const active = this.activeSlots(options);
    const incoming = new Map<string, Float32Array>();
    for (const [key, buf] of Object.entries(state.buffers)) {
      const parsed = parseBufferKey(key);
      if (parsed === null || !active.includes(parsed.name)) {
        throw new RangeError(
          `${where}: unexpected buffer "${key}"; with these options the buffers are ${active.map((a) => `"${a}.<index>"`).join(", ") || "none"}`,
        );
      }
      if (parsed.index >= n) {
        throw new RangeError(`${where}: buffer "${key}" refers to parameter ${parsed.index} but there are ${n} parameters`);
      }
      if (!(buf instanceof Float32Array)) {
        throw new TypeError(`${where}: buffer "${key}" must be a Float32Array`);
      }
      const p = this.params[parsed.index];
      if (buf.length !== p.data.length) {
        throw new RangeError(
          `${where}: buffer "${key}" has ${buf.length} elements but parameter ${parsed.index} has shape [${p.shape.join(", ")}] (${p.data.length} elements)`,
        );
      }
      if (state.step[parsed.index] === 0) {
        throw new RangeError(`${where}: buffer "${key}" is present but parameter ${parsed.index} has step 0`);
      }
      incoming.set(key, buf);
    }
    state.step.forEach((s, i) => {
      if (s === 0) return;
      for (const name of active) {
        if (!incoming.has(`${name}.${i}`)) {
          throw new RangeError(`${where}: parameter ${i} has step ${s} but buffer "${name}.${i}" is missing`);
        }
      }
    });

    this.options = options;
    this.steps = state.step.slice();
    for (const [name, list] of this.slots) {
      for (let i = 0; i < n; i++) {
        const buf = incoming.get(`${name}.${i}`);
        list[i] = buf === undefined ? null : buf.slice();
      }
    }
  }
}

function checkParams(kind: string, params: Iterable<ParamLike>): ParamLike[] {
  if (params === null || typeof params !== "object" || typeof params[Symbol.iterator] !== "function") {
    throw new TypeError(`${kind}: params must be an array or iterable of parameters, got ${show(params)}`);
  }
  const list = [...params];
  if (list.length === 0) throw new RangeError(`${kind}: params is an empty list; there is nothing to optimize`);
  const seen = new Set<ParamLike>();
  list.forEach((p, i) => {
    if (p === null || typeof p !== "object" || !(p.data instanceof Float32Array)) {
      throw new TypeError(`${kind}: params[${i}] must have a Float32Array data, got ${show(p)}`);
    }
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (size !== p.data.length) {
      throw new RangeError(`${kind}: params[${i}] has shape [${p.shape.join(", ")}] (${size} elements) but ${p.data.length} values`);
    }
    // A parameter listed twice would be updated twice per step with one shared state.
    if (seen.has(p)) throw new RangeError(`${kind}: params[${i}] appears more than once in the parameter list`);
    seen.add(p);
  });
  return list;
}

function encodeOptions(options: object): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === "number" || typeof value === "boolean") out[key] = value;
    else if (Array.isArray(value)) out[key] = value.map(Number);
  }
  return out;
}
