// The fused kernels of the cell variants against the generic path (the cells' autograd steps) on
// the backend under test: every fused activation pair × {lstm, gru, gru_reset_before, rnn} ×
// {without, with a recurrent mask} × {no plan, lengths}, both directions (a bidirectional layer),
// outputs, final states and the gradients of x, h0, c0 and every parameter, within 1e-5.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RecurrentLayer, Tensor, getBackend, manualSeed, randn, setBackend, setCellLog, type Backend, type RecurrentLayerOptions } from "recurrent";
import { assertClose } from "../../helpers/fixtures.js";

class MaskedLayer extends RecurrentLayer {
  constructor(
    opts: RecurrentLayerOptions,
    private readonly masked: boolean,
  ) {
    super(opts);
  }
  protected override recurrentMaskFor(layer: number, direction: number, B: number): Tensor | null {
    if (!this.masked) return null;
    const P = this.outputSize;
    return new Tensor(Float32Array.from({ length: B * P }, (_, k) => ((k * 5 + layer + direction * 2) % 4 === 0 ? 0 : 4 / 3)), [B, P]);
  }
}

/** The backend under test with every cell sent to the generic path. */
function genericOnly(base: Backend): Backend {
  return {
    name: base.name,
    runsFused: () => false,
    gemm: (...args) => base.gemm(...args),
    recurrentForward: (a) => base.recurrentForward(a),
    recurrentBackward: (a) => base.recurrentBackward(a),
    releaseCache: (c) => base.releaseCache(c),
  };
}

const T = 5;
const B = 3;
const I = 3;
const H = 4;

interface Run {
  values: Map<string, Float32Array>;
}

function run(layer: MaskedLayer, hasC: boolean, lengths: number[] | null, seed: number): Run {
  manualSeed(seed);
  const x = randn([T, B, I], { requiresGrad: true });
  const h0 = randn([2, B, H], { requiresGrad: true });
  const c0 = randn([2, B, H], { requiresGrad: true });
  const wOut = randn([T, B, 2 * H]);
  const wH = randn([2, B, H]);
  const wC = randn([2, B, H]);
  layer.zeroGrad();
  const [out, s] = layer.forwardState(x, hasC ? { h: h0, c: c0 } : { h: h0 }, lengths === null ? undefined : { lengths });
  let loss = out.mul(wOut).sum().add(s.h.mul(wH).sum());
  if (s.c !== undefined) loss = loss.add(s.c.mul(wC).sum());
  loss.backward();
  const values = new Map<string, Float32Array>([
    ["out", out.data],
    ["hN", s.h.data],
    ["dx", x.grad!.data],
    ["dh0", h0.grad!.data],
  ]);
  if (hasC) {
    values.set("cN", s.c!.data);
    values.set("dc0", c0.grad!.data);
  }
  for (const [n, p] of layer.namedParameters()) values.set(`d ${n}`, p.grad!.data);
  return { values };
}

const GATES = ["sigmoid", "hardSigmoid", "hardSigmoidKeras3"] as const;
const CANDIDATES = ["tanh", "relu", "linear", "sigmoid", "hardSigmoid", "hardSigmoidKeras3"] as const;

for (const cell of ["lstm", "gru", "gru_reset_before", "rnn_tanh"] as const) {
  test(`${cell}: fused variants match the generic path (activations × mask × lengths × both directions, with gradients)`, () => {
    const base = getBackend();
    const quiet = setCellLog(() => {});
    let worst = 0;
    let fused = 0;
    try {
      const gated = cell !== "rnn_tanh";
      for (const gate of gated ? GATES : (["sigmoid"] as const)) {
        for (const cand of CANDIDATES) {
          for (const masked of [false, true]) {
            for (const lengths of [null, [5, 2, 4]]) {
              manualSeed(7);
              const layer = new MaskedLayer(
                { cell, inputSize: I, hiddenSize: H, bidirectional: true, recurrentBias: !masked, activation: cand, ...(gated ? { recurrentActivation: gate } : {}) },
                masked,
              );
              if (base.runsFused(cell, { gate, candidate: cand })) fused++;
              const a = run(layer, cell === "lstm", lengths, 9);
              setBackend(genericOnly(base));
              let b: Run;
              try {
                b = run(layer, cell === "lstm", lengths, 9);
              } finally {
                setBackend(base);
              }
              for (const [name, want] of b.values) {
                const got = a.values.get(name)!;
                assertClose(got, want, `${cell} gate=${gate} cand=${cand} mask=${masked} lengths=${lengths !== null}: ${name}`);
                for (let k = 0; k < got.length; k++) worst = Math.max(worst, Math.abs(got[k]! - want[k]!) / (1 + Math.abs(want[k]!)));
              }
            }
          }
        }
      }
    } finally {
      setCellLog(quiet);
    }
    console.log(`# ${cell} on ${base.name}: ${fused} of the activation runs fused; largest |fused - generic|/(1+|generic|) ${worst.toExponential(2)}`);
    assert.ok(worst < 1e-5);
  });
}
