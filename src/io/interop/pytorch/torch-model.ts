/**
 * `TorchModel`: a container whose sub-modules carry the names of a PyTorch module's attributes
 * (`rnn`, `linear`, `encoder`, ...), so that its parameter names are the PyTorch state dict's.
 * `importPyTorch` builds one for a state dict with named sub-modules; it is registered in the
 * layer registry as "TorchModel", so `saveModel` / `loadModel` keep it.
 *
 * What an arbitrary container computes cannot be read from its weights, so in general callers
 * use its children by name: `model.child("encoder").forward(x)`. The common shape of a
 * language model (d2l's `RNNModel`, a char LM) has `forward`: one recurrent layer, one Linear
 * and at most one Embedding, computing
 *
 *   y, state = rnn(embedding(x) or x, state);  out = linear(y)
 *
 * with `out` keeping y's leading dims: (T, B, O), or (B, T, O) with batchFirst.
 */
import type { Tensor } from "../../../tensor/tensor.js";
import { Module, type LayerConfig } from "../../../nn/module.js";
import { describeArg } from "../../../nn/options.js";
import { Embedding } from "../../../nn/layers/embedding.js";
import { Linear } from "../../../nn/layers/linear.js";
import { RNNBase } from "../../../nn/layers/rnn-base.js";
import type { CellState } from "../../../nn/cells/spec.js";
import { layerFromConfig, layerToConfig, registerLayer } from "../../../models/registry.js";

/** The language-model shape `forward` runs: its recurrent layer, its Linear and its optional Embedding. */
export interface TorchModelParts {
  rnn: RNNBase;
  linear: Linear;
  embedding: Embedding | null;
}

export class TorchModel extends Module {
  private readonly names: string[] = [];

  /** `children` in order, by name (names may hold dots only through nesting TorchModels). */
  constructor(children: ReadonlyArray<readonly [string, Module]> = []) {
    super();
    if (!Array.isArray(children)) throw new Error(`TorchModel: children must be an array of [name, module], got ${describeArg(children)}`);
    for (const [name, m] of children) this.add(name, m);
  }

  /** Adds `module` under `name` (no dots); returns this. */
  add(name: string, module: Module): this {
    if (typeof name !== "string" || name === "" || name.includes(".")) throw new Error(`TorchModel.add: a child's name must be a non-empty string without dots, got ${describeArg(name)}`);
    if (this.names.includes(name)) throw new Error(`TorchModel.add: there is already a child named ${JSON.stringify(name)}`);
    this.registerModule(name, module);
    this.names.push(name);
    return this;
  }

  /** The child named `name`; throws listing the names when there is none. */
  child(name: string): Module {
    for (const [n, m] of this.namedChildren()) if (n === name) return m;
    throw new Error(`${this.describe()}.child: no child named ${describeArg(name)}; the children are ${this.names.join(", ")}`);
  }

  /** The children's names in order. */
  childNames(): string[] {
    return [...this.names];
  }

  override describe(): string {
    return `TorchModel(${this.names.join(", ")})`;
  }

  /** `{ children: [{ name, className, config }, ...] }`; every child's class must be registered. */
  override getConfig(): LayerConfig {
    return {
      children: [...this.namedChildren()].map(([name, m]) => {
        const { className, config } = layerToConfig(m);
        return { name, className, config };
      }),
    };
  }

  /** Rebuilds from `getConfig()`'s output (fresh weights). */
  static fromConfig(config: LayerConfig): TorchModel {
    const where = "TorchModel.fromConfig";
    const list = config["children"];
    if (!Array.isArray(list)) throw new Error(`${where}: children must be an array of { name, className, config }, got ${describeArg(list)}`);
    return new TorchModel(
      list.map((item, k): [string, Module] => {
        if (typeof item !== "object" || item === null || Array.isArray(item)) throw new Error(`${where}: children[${k}] must be { name, className, config }, got ${describeArg(item)}`);
        const name = item["name"];
        const className = item["className"];
        const cfg = item["config"];
        if (typeof name !== "string") throw new Error(`${where}: children[${k}].name must be a string, got ${describeArg(name)}`);
        if (typeof className !== "string") throw new Error(`${where}: children[${k}].className must be a string, got ${describeArg(className)}`);
        if (typeof cfg !== "object" || cfg === null || Array.isArray(cfg)) throw new Error(`${where}: children[${k}].config must be an object, got ${describeArg(cfg)}`);
        return [name, layerFromConfig({ className, config: cfg })];
      }),
    );
  }

  /** The language-model parts when the children have that shape (see the class comment), else null. */
  languageModelParts(): TorchModelParts | null {
    const kids = this.children();
    const rnns = kids.filter((m): m is RNNBase => m instanceof RNNBase);
    const linears = kids.filter((m): m is Linear => m instanceof Linear);
    const embeddings = kids.filter((m): m is Embedding => m instanceof Embedding);
    if (rnns.length !== 1 || linears.length !== 1 || embeddings.length > 1 || kids.length !== 2 + embeddings.length) return null;
    return { rnn: rnns[0]!, linear: linears[0]!, embedding: embeddings[0] ?? null };
  }

  /**
   * For the language-model shape: `x` is token ids (T, B) when there is an Embedding, else
   * features (T, B, I) (batch-first layouts when the recurrent layer has batchFirst); `state`
   * as the recurrent layer takes it (`{ h }` or `{ h, c }`, zeros when omitted). Returns
   * `[logits, state]`. Any other container throws: call its children by name.
   */
  forward(x: Tensor, state?: CellState | null): [Tensor, CellState] {
    const parts = this.languageModelParts();
    if (parts === null) {
      throw new Error(
        `${this.describe()}.forward: what this container computes is not known from its weights; call its children by name (model.child("${this.names[0] ?? "name"}")). ` +
          "forward is defined for one recurrent layer, one Linear and at most one Embedding",
      );
    }
    const input = parts.embedding === null ? x : parts.embedding.forward(x);
    const [y, s] = parts.rnn.forwardState(input, state);
    return [parts.linear.forward(y), s];
  }
}

registerLayer("TorchModel", TorchModel);
