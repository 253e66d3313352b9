import { Tensor, recordOp, needsGrad } from "../../tensor/tensor.js";
import { getBackend } from "../../backends/registry.js";
import type { CellMode } from "../../backends/backend.js";

/** The parameters of one layer in one direction, in PyTorch's layout. */
export interface DirectionParams {
  wIh: Tensor; // (G, I)
  wHh: Tensor; // (G, P)
  bIh: Tensor | null; // (G)
  bHh: Tensor | null; // (G)
  wHr: Tensor | null; // (P, H)
}

type GradName = "dx" | "dh0" | "dc0" | "dWIh" | "dWHh" | "dBIh" | "dBHh" | "dWHr";

export interface DirectionResult {
  out: Tensor; // (T, B, P)
  hN: Tensor; // (B, P)
  cN: Tensor | null; // (B, H)
}

/**
 * One layer, one direction, whole sequence, as a single tape node: the backend's fused kernel
 * runs forward, and its hand-written BPTT runs backward. This is what keeps a recurrent layer
 * from becoming thousands of tiny autodiff ops per step.
 */
export function recurrentDirection(
  mode: CellMode,
  x: Tensor, // (T, B, I)
  h0: Tensor, // (B, P)
  c0: Tensor | null, // (B, H)
  p: DirectionParams,
  H: number,
  reverse: boolean,
): DirectionResult {
  const [T, B, I] = x.shape as [number, number, number];
  const P = p.wHr !== null ? p.wHr.shape[0]! : H;
  const backend = getBackend();
  // Each tape input paired with the gradient slot the kernel fills for it (by position, so the
  // same tensor passed twice, e.g. one zeros tensor as h0 and c0, still gets both gradients).
  const slots: [Tensor, GradName][] = [
    [x, "dx"],
    [h0, "dh0"],
    [p.wIh, "dWIh"],
    [p.wHh, "dWHh"],
  ];
  if (c0 !== null) slots.push([c0, "dc0"]);
  if (p.bIh !== null) slots.push([p.bIh, "dBIh"]);
  if (p.bHh !== null) slots.push([p.bHh, "dBHh"]);
  if (p.wHr !== null) slots.push([p.wHr, "dWHr"]);
  const inputs = slots.map(([t]) => t);
  const training = needsGrad(...inputs);
  const out = new Float32Array(T * B * P);
  const hN = new Float32Array(B * P);
  const cN = mode === "lstm" ? new Float32Array(B * H) : null;
  const common = {
    mode,
    T,
    B,
    I,
    H,
    P,
    reverse,
    x: x.data,
    wIh: p.wIh.data,
    wHh: p.wHh.data,
    bIh: p.bIh?.data ?? null,
    bHh: p.bHh?.data ?? null,
    wHr: p.wHr?.data ?? null,
    h0: h0.data,
    c0: c0?.data ?? null,
  };
  const cache = backend.recurrentForward({ ...common, training, out, hN, cN });
  const result: DirectionResult = {
    out: new Tensor(out, [T, B, P]),
    hN: new Tensor(hN, [B, P]),
    cN: cN === null ? null : new Tensor(cN, [B, H]),
  };
  const outputs = result.cN === null ? [result.out, result.hN] : [result.out, result.hN, result.cN];
  recordOp(`${mode}Layer`, inputs, outputs, ([dOut, dHN, dCN]) => {
    const g: Record<GradName, Float32Array | null> = {
      dx: null,
      dh0: null,
      dc0: null,
      dWIh: null,
      dWHh: null,
      dBIh: null,
      dBHh: null,
      dWHr: null,
    };
    for (const [t, name] of slots) if (t.requiresGrad) g[name] = new Float32Array(t.size);
    backend.recurrentBackward({ ...common, cache, out, dOut: dOut ?? null, dHN: dHN ?? null, dCN: dCN ?? null, ...g });
    return slots.map(([, name]) => g[name]);
  });
  return result;
}
