/**
 * One layer, one direction, a whole sequence: the fused path (one tape node whose forward and
 * backward are the backend's kernels) when the backend runs the cell fused, else the generic path
 * (the cell's autograd `step` once per time step: correct, and much slower).
 *
 * Symbols: B batch, T time steps, I input size, H hidden size, P recurrent width.
 */
import { Tensor, recordOp, needsGrad } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { getBackend } from "../../backends/registry.js";
import { select, stack } from "../../autograd/ops/shape.js";
import type { CellParams, CellSpec, CellState } from "../cells/spec.js";
import { STANDARD_SUFFIXES } from "../cells/spec.js";

type GradName = "dx" | "dh0" | "dc0" | "dWIh" | "dWHh" | "dBIh" | "dBHh" | "dWHr";

export interface DirectionResult {
  out: Tensor; // (T, B, P)
  hN: Tensor; // (B, P)
  cN: Tensor | null; // (B, H), cells with a c state
}

/** Receives the one-time notice that a cell runs on the generic path. */
export type CellLog = (message: string) => void;

let cellLog: CellLog = (message) => console.warn(message);
const noticed = new Set<string>();

/**
 * Sets where the notice "cell X runs unfused on backend Y" goes (default `console.warn`), and
 * forgets which notices were given, so the next unfused run of each cell logs again. Returns the
 * previous log.
 */
export function setCellLog(log: CellLog): CellLog {
  const previous = cellLog;
  cellLog = log;
  noticed.clear();
  return previous;
}

/** Runs one direction of one layer of `spec` over x (T, B, I) from h0 (B, P) and c0 (B, H). */
export function recurrentDirection(
  spec: CellSpec,
  x: Tensor, // (T, B, I)
  h0: Tensor, // (B, P)
  c0: Tensor | null, // (B, H)
  params: CellParams,
  H: number,
  reverse: boolean,
): DirectionResult {
  const backend = getBackend();
  if (backend.runsFused(spec.name)) return fusedDirection(spec, x, h0, c0, params, H, reverse);
  const key = `${backend.name}/${spec.name}`;
  if (!noticed.has(key)) {
    noticed.add(key);
    cellLog(`recurrent: cell "${spec.name}" has no fused kernel on the ${backend.name} backend; it runs on the generic path (one autograd step per time step, slower)`);
  }
  return genericDirection(spec, x, h0, c0, params, H, reverse);
}

/** The generic path: the cell's autograd step, once per time step. */
function genericDirection(spec: CellSpec, x: Tensor, h0: Tensor, c0: Tensor | null, params: CellParams, H: number, reverse: boolean): DirectionResult {
  const step = spec.step;
  if (step === undefined) throw new Error(`cell "${spec.name}": the backend does not run it fused and it has no step for the generic path`);
  const T = x.shape[0]!;
  const B = x.shape[1]!;
  const P = h0.shape[1]!;
  const outs: Tensor[] = new Array<Tensor>(T);
  let state: CellState = c0 === null ? { h: h0 } : { h: h0, c: c0 };
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    state = step(select(x, 0, t), state, params);
    if (s === 0) checkStepResult(spec, state, B, P, H);
    outs[t] = state.h;
  }
  return { out: stack(outs, 0), hN: state.h, cN: spec.states.length === 2 ? (state.c ?? null) : null };
}

function checkStepResult(spec: CellSpec, s: CellState, B: number, P: number, H: number): void {
  const where = `cell "${spec.name}".step`;
  const same = (t: Tensor, want: number[]): boolean => t.ndim === want.length && t.shape.every((d, i) => d === want[i]);
  if (!(s.h instanceof Tensor) || !same(s.h, [B, P])) {
    throw new Error(`${where}: must return { h } with h of shape ${shapeStr([B, P])} (B, P), got ${s.h instanceof Tensor ? shapeStr(s.h.shape) : String(s.h)}`);
  }
  const hasC = spec.states.length === 2;
  if (hasC && (!(s.c instanceof Tensor) || !same(s.c, [B, H]))) {
    throw new Error(`${where}: the cell has states h, c and must return c of shape ${shapeStr([B, H])} (B, H), got ${s.c instanceof Tensor ? shapeStr(s.c.shape) : String(s.c)}`);
  }
  if (!hasC && s.c !== undefined) throw new Error(`${where}: the cell has state h only but its step returned c`);
}

/**
 * The fused path: a single tape node; the backend's kernel runs forward, its hand-written BPTT
 * runs backward. This keeps a recurrent layer from becoming thousands of tiny ops per step.
 */
function fusedDirection(spec: CellSpec, x: Tensor, h0: Tensor, c0: Tensor | null, params: CellParams, H: number, reverse: boolean): DirectionResult {
  const [T, B, I] = x.shape as [number, number, number];
  const wIh = params["weight_ih"];
  const wHh = params["weight_hh"];
  if (wIh === undefined || wHh === undefined) throw new Error(`cell "${spec.name}": a fused kernel needs weight_ih and weight_hh`);
  const bIh = params["bias_ih"] ?? null;
  const bHh = params["bias_hh"] ?? null;
  const wHr = params["weight_hr"] ?? null;
  const extra = spec.parameters.filter((p) => !STANDARD_SUFFIXES.has(p.suffix) && params[p.suffix] !== undefined).map((p) => params[p.suffix]!);
  const P = wHr !== null ? wHr.shape[0]! : H;
  const backend = getBackend();
  // Each tape input paired with the gradient slot the kernel fills for it (by position, so the
  // same tensor passed twice, e.g. one zeros tensor as h0 and c0, still gets both gradients).
  const slots: [Tensor, GradName | number][] = [
    [x, "dx"],
    [h0, "dh0"],
    [wIh, "dWIh"],
    [wHh, "dWHh"],
  ];
  if (c0 !== null) slots.push([c0, "dc0"]);
  if (bIh !== null) slots.push([bIh, "dBIh"]);
  if (bHh !== null) slots.push([bHh, "dBHh"]);
  if (wHr !== null) slots.push([wHr, "dWHr"]);
  extra.forEach((t, i) => slots.push([t, i]));
  const inputs = slots.map(([t]) => t);
  const training = needsGrad(...inputs);
  const out = new Float32Array(T * B * P);
  const hN = new Float32Array(B * P);
  const cN = spec.states.length === 2 ? new Float32Array(B * H) : null;
  const common = {
    mode: spec.name,
    T,
    B,
    I,
    H,
    P,
    reverse,
    x: x.data,
    wIh: wIh.data,
    wHh: wHh.data,
    bIh: bIh?.data ?? null,
    bHh: bHh?.data ?? null,
    wHr: wHr?.data ?? null,
    h0: h0.data,
    c0: c0?.data ?? null,
    ...(extra.length > 0 ? { extra: extra.map((t) => t.data) } : {}),
  };
  const cache = backend.recurrentForward({ ...common, training, out, hN, cN });
  const result: DirectionResult = {
    out: new Tensor(out, [T, B, P]),
    hN: new Tensor(hN, [B, P]),
    cN: cN === null ? null : new Tensor(cN, [B, H]),
  };
  const outputs = result.cN === null ? [result.out, result.hN] : [result.out, result.hN, result.cN];
  recordOp(`${spec.name}Layer`, inputs, outputs, ([dOut, dHN, dCN]) => {
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
    const dExtra: (Float32Array | null)[] = extra.map(() => null);
    for (const [t, name] of slots) {
      if (!t.requiresGrad) continue;
      if (typeof name === "number") dExtra[name] = new Float32Array(t.size);
      else g[name] = new Float32Array(t.size);
    }
    const extraGrads = extra.length > 0 ? { dExtra } : {};
    backend.recurrentBackward({ ...common, cache, out, dOut: dOut ?? null, dHN: dHN ?? null, dCN: dCN ?? null, ...g, ...extraGrads });
    return slots.map(([, name]) => (typeof name === "number" ? dExtra[name]! : g[name]));
  });
  return result;
}
