// The layer registry: class name <-> class, for { className, config } round trips.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Module,
  Linear,
  Embedding,
  Dropout,
  Highway,
  Sequential,
  Tensor,
  registerLayer,
  layerFromConfig,
  layerToConfig,
  registeredLayerNames,
  getRegisteredLayer,
  zeros,
  type LayerConfig,
} from "recurrent";

function throwsWith(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    for (const p of parts) assert.ok(e.message.includes(p), `message "${e.message}" lacks "${p}"`);
    return true;
  });
}

/** A user's layer rebuilt by a static fromConfig. */
class Scale extends Module {
  readonly factor: Tensor;
  constructor(readonly width: number) {
    super();
    this.factor = zeros([width]).add(1);
    this.factor.requiresGrad = true;
  }
  static fromConfig(config: LayerConfig): Scale {
    const width = config["width"];
    if (typeof width !== "number") throw new Error(`Scale: width must be a number, got ${String(width)}`);
    return new Scale(width);
  }
  override describe(): string {
    return `Scale(width=${this.width})`;
  }
  override getConfig(): LayerConfig {
    return { width: this.width };
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.factor);
  }
}

/** A user's layer rebuilt by its constructor, which takes its config. */
class Shift extends Module {
  readonly by: number;
  constructor(opts: { by: number }) {
    super();
    this.by = opts.by;
  }
  override describe(): string {
    return `Shift(by=${this.by})`;
  }
  override getConfig(): LayerConfig {
    return { by: this.by };
  }
  forward(x: Tensor): Tensor {
    return x.add(this.by);
  }
}

test("the library's layers are registered under their class names", () => {
  const names = registeredLayerNames();
  for (const n of ["Linear", "Embedding", "Dropout", "Highway", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "Sequential"]) {
    assert.ok(names.includes(n), `${n} is not registered`);
  }
  assert.equal(getRegisteredLayer("Linear"), Linear);
  assert.equal(getRegisteredLayer("Sequential"), Sequential);
  assert.equal(getRegisteredLayer("NoSuchLayer"), undefined);
});

test("layerToConfig and layerFromConfig round-trip the library's layers", () => {
  for (const layer of [new Linear({ inFeatures: 4, outFeatures: 2, bias: false }), new Embedding({ numEmbeddings: 9, embeddingDim: 2 }), new Dropout(0.3), new Highway({ size: 3, numLayers: 2, activation: "sigmoid" })]) {
    const spec = layerToConfig(layer);
    assert.equal(spec.className, layer.constructor.name);
    assert.deepEqual(spec.config, layer.getConfig());
    const again = layerFromConfig(JSON.parse(JSON.stringify(spec)));
    assert.equal(again.constructor, layer.constructor);
    assert.deepEqual(again.getConfig(), layer.getConfig());
  }
});

test("a user's class registers with static fromConfig or with a constructor that takes its config", () => {
  registerLayer("Scale", Scale);
  registerLayer("Shift", Shift);
  registerLayer("Scale", Scale); // the same pair again is fine
  const s = layerFromConfig(layerToConfig(new Scale(3)));
  assert.ok(s instanceof Scale);
  assert.equal(s.width, 3);
  const t = layerFromConfig({ className: "Shift", config: { by: 2.5 } });
  assert.ok(t instanceof Shift);
  assert.equal(t.by, 2.5);
  assert.deepEqual(layerToConfig(t), { className: "Shift", config: { by: 2.5 } });
});

test("an unregistered class is a clear error that says to call registerLayer", () => {
  class Mystery extends Module {
    override describe(): string {
      return "Mystery()";
    }
    override getConfig(): LayerConfig {
      return {};
    }
  }
  throwsWith(() => layerToConfig(new Mystery()), "layerToConfig: Mystery() is a Mystery, which is not registered", 'call registerLayer("Mystery", Mystery)');
  // A subclass of a registered class is not that class: its config may differ.
  class WideLinear extends Linear {}
  throwsWith(() => layerToConfig(new WideLinear({ inFeatures: 1, outFeatures: 1 })), 'registerLayer("WideLinear", WideLinear)');
  throwsWith(() => layerFromConfig({ className: "Mystery", config: {} }), 'no layer is registered as "Mystery"', "registered: Linear, Embedding", 'registerLayer("Mystery", Mystery)');
  throwsWith(() => layerFromConfig({ className: "Linaer", config: {} }), 'did you mean "Linear"?');
});

test("registerLayer refuses what it cannot use", () => {
  throwsWith(() => registerLayer("", Scale), "registerLayer: name must be a non-empty string");
  throwsWith(() => registerLayer("Thing", class {} as never), 'registerLayer("Thing"): expected a class that extends Module');
  throwsWith(() => registerLayer("Linear", Scale), 'the name "Linear" is already registered for another class');
  class Other extends Scale {}
  registerLayer("Other", Other);
  throwsWith(() => registerLayer("Other2", Other), 'already registered as "Other"');
  class BadStatic extends Module {
    static fromConfig = 3;
    override describe(): string {
      return "BadStatic()";
    }
  }
  throwsWith(() => registerLayer("BadStatic", BadStatic as never), "static fromConfig must be a function, got 3");
});

test("layerFromConfig checks the spec and names the class in errors from its constructor", () => {
  throwsWith(() => layerFromConfig(null as never), "layerFromConfig: expected { className, config }, got null");
  throwsWith(() => layerFromConfig({ className: 3, config: {} } as never), "className must be a string, got 3");
  throwsWith(() => layerFromConfig({ className: "Linear", config: [] } as never), "layerFromConfig(Linear): config must be an object");
  throwsWith(() => layerFromConfig({ className: "Linear", config: { inFeatures: 2, outFeatures: 2, units: 4 } }), 'layerFromConfig(Linear): Linear: unknown option "units"');
  throwsWith(() => layerFromConfig({ className: "Scale", config: { width: "x" } }), "layerFromConfig(Scale): Scale: width must be a number");
  // An inherited fromConfig that builds the parent class is caught.
  class Sub extends Scale {}
  registerLayer("ScaleSub", Sub);
  throwsWith(() => layerFromConfig({ className: "ScaleSub", config: { width: 1 } }), "ScaleSub.fromConfig returned", "not a ScaleSub");
});

test("a config that is not plain JSON is refused with its path", () => {
  class Leaky extends Module {
    constructor(readonly value: unknown) {
      super();
    }
    override describe(): string {
      return "Leaky()";
    }
    override getConfig(): LayerConfig {
      return { nested: { list: [1, this.value as never] } };
    }
  }
  registerLayer("Leaky", Leaky);
  throwsWith(() => layerToConfig(new Leaky(NaN)), "Leaky().getConfig(): nested.list[1] is NaN, which JSON cannot hold");
  throwsWith(() => layerToConfig(new Leaky(zeros([2]))), "nested.list[1] is a Tensor of shape [2]; a config holds only plain JSON");
  throwsWith(() => layerToConfig(new Leaky(() => 1)), "nested.list[1] is a function");
  // The spec is a copy: changing it later does not reach the layer, nor the layer's config the spec.
  const spec = layerToConfig(new Leaky("a"));
  const list = (spec.config["nested"] as { list: unknown[] }).list;
  list.push("b");
  assert.deepEqual(layerToConfig(new Leaky("a")).config, { nested: { list: [1, "a"] } });
});
