// Composition: sub-modules and parameters assigned as fields are found without registration,
// named PyTorch-style, listed once, and reached by parameters(), stateDict(), train()/eval(), zeroGrad().
import { test } from "node:test";
import assert from "node:assert/strict";
import { Module, Linear, Dropout, Highway, LSTM, Tensor, manualSeed, randn, zeros } from "recurrent";

function throwsWith(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    for (const p of parts) assert.ok(e.message.includes(p), `message "${e.message}" lacks "${p}"`);
    return true;
  });
}

/** A user's model written the PyTorch way: layers and a parameter assigned as fields. */
class Tagger extends Module {
  readonly scale = new Tensor(new Float32Array([1, 1]), [2], true);
  readonly notAParameter = zeros([3]); // requiresGrad false: a constant, not listed
  readonly rnn: LSTM;
  readonly blocks: Linear[];
  readonly drop = new Dropout(0.25);
  readonly head: Linear;
  readonly label = "tagger"; // plain fields are ignored

  constructor() {
    super();
    this.rnn = new LSTM({ inputSize: 3, hiddenSize: 4 });
    this.blocks = [new Linear({ inFeatures: 4, outFeatures: 4 }), new Linear({ inFeatures: 4, outFeatures: 4, bias: false })];
    this.head = new Linear({ inFeatures: 4, outFeatures: 2 });
  }

  override describe(): string {
    return "Tagger()";
  }

  forward(x: Tensor): Tensor {
    const [out] = this.rnn.forward(x);
    let y = out;
    for (const b of this.blocks) y = this.drop.forward(b.forward(y).tanh());
    return this.head.forward(y).mul(this.scale);
  }
}

test("fields are found in property order: own parameters first, then sub-modules, arrays as field.k", () => {
  manualSeed(1);
  const m = new Tagger();
  assert.deepEqual(
    [...m.namedParameters()].map(([n]) => n),
    [
      "scale",
      "rnn.weight_ih_l0",
      "rnn.weight_hh_l0",
      "rnn.bias_ih_l0",
      "rnn.bias_hh_l0",
      "blocks.0.weight",
      "blocks.0.bias",
      "blocks.1.weight",
      "head.weight",
      "head.bias",
    ],
  );
  assert.deepEqual(
    [...m.namedChildren()].map(([n]) => n),
    ["rnn", "blocks.0", "blocks.1", "drop", "head"],
  );
  assert.deepEqual(m.children(), [m.rnn, m.blocks[0], m.blocks[1], m.drop, m.head]);
  assert.deepEqual(
    [...m.namedModules()].map(([n]) => n),
    ["", "rnn", "blocks.0", "blocks.1", "drop", "head"],
  );
  assert.equal(m.modules()[0], m);
  assert.equal(m.parameters().length, 10);
  assert.equal(m.numParameters(), 2 + (48 + 64 + 16 + 16) + (16 + 4) + 16 + (8 + 2));
  assert.equal(m.stateDict()["head.weight"], m.head.weight);
});

test("a field holding a registered parameter or module is listed once, under its registered name", () => {
  class Twice extends Module {
    readonly w: Tensor;
    readonly inner: Linear;
    readonly alias: Linear;
    constructor() {
      super();
      this.w = this.registerParameter("weight", zeros([2]));
      this.inner = this.registerModule("encoder", new Linear({ inFeatures: 2, outFeatures: 2 }));
      this.alias = this.inner;
    }
    override describe(): string {
      return "Twice()";
    }
  }
  const m = new Twice();
  assert.deepEqual([...m.namedParameters()].map(([n]) => n), ["weight", "encoder.weight", "encoder.bias"]);
  assert.deepEqual([...m.namedChildren()].map(([n]) => n), ["encoder"]);
});

test("explicit registration keeps the names of the library's layers: Highway's layers.k, Linear's weight and bias", () => {
  const hw = new Highway({ size: 3, numLayers: 2 });
  assert.deepEqual(Object.keys(hw.stateDict()), [
    "layers.0.weight_h",
    "layers.0.bias_h",
    "layers.0.weight_t",
    "layers.0.bias_t",
    "layers.1.weight_h",
    "layers.1.bias_h",
    "layers.1.weight_t",
    "layers.1.bias_t",
  ]);
  assert.deepEqual(Object.keys(new Linear({ inFeatures: 2, outFeatures: 1 }).stateDict()), ["weight", "bias"]);
});

test("train() and eval() reach modules held in fields and arrays", () => {
  const m = new Tagger();
  m.eval();
  assert.ok(m.modules().every((s) => !s.training));
  assert.equal(m.blocks[1]!.training, false);
  m.train();
  assert.ok(m.modules().every((s) => s.training));
  // In eval mode the dropout field is inactive: two calls agree.
  m.eval();
  const x = randn([4, 2, 3]);
  assert.deepEqual(m.forward(x).data, m.forward(x).data);
});

test("zeroGrad and gradients reach every field's parameters", () => {
  manualSeed(2);
  const m = new Tagger().eval();
  m.forward(randn([4, 2, 3])).square().sum().backward();
  for (const [name, p] of m.namedParameters()) assert.ok(p.grad !== null, `${name} got no gradient`);
  m.zeroGrad();
  for (const [name, p] of m.namedParameters()) assert.equal(p.grad, null, `${name} kept its gradient`);
});

test("stateDict and loadStateDict go through fields; a failed load changes nothing", () => {
  manualSeed(3);
  const a = new Tagger();
  const b = new Tagger();
  b.loadStateDict(a.stateDict());
  for (const [name, p] of b.namedParameters()) assert.deepEqual(p.data, a.stateDict()[name]!.data, name);

  const before = b.head.weight.data.slice();
  const bad = { ...a.stateDict(), "head.weight": randn([2, 4]), "head.bias": zeros([3]) };
  throwsWith(() => b.loadStateDict(bad), "Tagger().loadStateDict", "head.bias has shape [3] but the module expects [2]");
  assert.deepEqual(b.head.weight.data, before, "head.weight was overwritten by a load that failed");
});

test("loadStateDict refuses input that is not a state dict", () => {
  const m = new Linear({ inFeatures: 2, outFeatures: 1 });
  throwsWith(() => m.loadStateDict(null as never), "Linear(inFeatures=2, outFeatures=1).loadStateDict", "expected an object of parameter name -> tensor", "got null");
  throwsWith(() => m.loadStateDict([] as never), "got an array of length 0");
  throwsWith(() => m.loadStateDict(zeros([1, 2]) as never), "got a Tensor of shape [1, 2]");
  throwsWith(() => m.loadStateDict({ weight: [1, 2] as never, bias: zeros([1]) }), "weight must be a Tensor or { shape, data }");
});

test("a tensor shared by two modules (tied weights) is one parameter, but has both names in the state dict", () => {
  class Holder extends Module {
    constructor(readonly w: Tensor) {
      super();
    }
    override describe(): string {
      return "Holder()";
    }
  }
  class Tied extends Module {
    readonly a: Holder;
    readonly b: Holder;
    constructor() {
      super();
      const w = randn([2], { requiresGrad: true });
      this.a = new Holder(w);
      this.b = new Holder(w);
    }
    override describe(): string {
      return "Tied()";
    }
  }
  const m = new Tied();
  assert.deepEqual([...m.namedParameters()].map(([n]) => n), ["a.w"]);
  assert.deepEqual(Object.keys(m.stateDict()), ["a.w", "b.w"]);
});

test("a field that disagrees with the registration under its name is an error, not a silent pick", () => {
  class Stale extends Module {
    weight: Tensor;
    constructor() {
      super();
      this.weight = this.registerParameter("weight", zeros([2]));
      this.weight = randn([2], { requiresGrad: true });
    }
    override describe(): string {
      return "Stale()";
    }
  }
  throwsWith(() => new Stale().parameters(), "Stale(): field weight holds a parameter that is not the one registered under the same name");
});

test("registration checks its arguments", () => {
  class Bad extends Module {
    override describe(): string {
      return "Bad()";
    }
  }
  const m = new Bad();
  throwsWith(() => m.registerParameter("a.b", zeros([1])), "Bad().registerParameter", 'parameter name "a.b" must not contain "."');
  throwsWith(() => m.registerParameter("w", [1, 2] as never), "Bad().registerParameter: w must be a Tensor, got an array of length 2");
  throwsWith(() => m.registerModule("", new Bad()), "Bad().registerModule: name must be a non-empty string");
  throwsWith(() => m.registerModule("sub", {} as never), "sub must be a Module");
  m.registerParameter("x", zeros([1]));
  throwsWith(() => m.registerModule("x", new Bad()), "x is already the name of a parameter");
});

test("a module holding itself or a parent does not loop", () => {
  class Node2 extends Module {
    parent: Module | null = null;
    readonly child: Linear = new Linear({ inFeatures: 1, outFeatures: 1 });
    override describe(): string {
      return "Node2()";
    }
  }
  const root = new Node2();
  const inner = new Node2();
  root.parent = root;
  inner.parent = root;
  class Holder extends Module {
    readonly root = root;
    readonly inner = inner;
    override describe(): string {
      return "Holder()";
    }
  }
  const h = new Holder();
  assert.deepEqual([...h.namedParameters()].map(([n]) => n), ["root.child.weight", "root.child.bias", "inner.child.weight", "inner.child.bias"]);
  assert.equal(h.modules().length, 5);
});
