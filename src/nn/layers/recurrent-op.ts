/**
 * One layer, one direction, a whole sequence: the fused path (one tape node whose forward and
 * backward are the backend's kernels) when the backend runs the cell fused, else the generic path
 * (the cell's autograd `step` once per time step: correct, and much slower).
 *
 * Symbols: B batch, T time steps, I input size, H hidden size, P recurrent width.
 */
import { Tensor, recordOp, needsGrad } from "../../tensor/tensor.js";
import { shapeStr } from "../../tensor/shape.js";
import { takeZeroed } from "../../tensor/pool.js";
import { getBackend } from "../../backends/registry.js";
import { concat, reshape, select, slice, stack } from "../../autograd/ops/shape.js";
import type { CellActivations, CellParams, CellSpec, CellState, CellVariant } from "../cells/spec.js";
import { STANDARD_SUFFIXES } from "../cells/spec.js";
import { cellNames, getCell } from "../cells/registry.js";
import { describeActivations, nonDefaultActivations, resolveActivation } from "../cells/variant.js";
import { describeArg } from "../options.js";
import { requireFinite } from "../module.js";
import { gatherRows } from "../utils/gather-rows.js";
import type { DirectionPlan } from "../utils/sequence-plan.js";

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

/**
 * Runs one direction of one layer of `spec` over x (T, B, I) from h0 (B, P) and c0 (B, H). With a
 * plan (lengths or a mask, sequence-plan.ts) each sequence runs only its real steps: the input is
 * packed (one row gather), the kernel runs the packed steps (only the rows still running), and the
 * outputs and final states are unpacked by the plan (one row gather each). `variant` picks the
 * cell's nonlinearities and a recurrent dropout mask (B, P) (cells that declare `activations`
 * only); the mask's rows are packed like h0's.
 */
export function recurrentDirection(
  spec: CellSpec,
  x: Tensor, // (T, B, I)
  h0: Tensor, // (B, P)
  c0: Tensor | null, // (B, H)
  params: CellParams,
  H: number,
  reverse: boolean,
  plan: DirectionPlan | null = null,
  variant?: CellVariant,
): DirectionResult {
  const v = checkVariant(spec, variant, h0);
  if (plan !== null) return plannedDirection(spec, x, h0, c0, params, H, plan, v);
  if (runsFused(spec, v)) return fusedDirection(spec, x, h0, c0, params, H, reverse, null, v);
  noticeGeneric(spec, v);
  return genericDirection(spec, x, h0, c0, params, H, reverse, v);
}

/** A variant as the kernels take it: activations only when they differ from the cell's defaults. */
interface Variant {
  activations: CellActivations | null;
  mask: Tensor | null; // (B, P)
}

/** Checks a variant against the cell and the batch; throws naming the cell and what is wrong. */
function checkVariant(spec: CellSpec, variant: CellVariant | undefined, h0: Tensor): Variant {
  const where = `recurrentDirection(cell "${spec.name}")`;
  if (variant === undefined || variant === null) return { activations: null, mask: null };
  if (typeof variant !== "object") throw new Error(`${where}: variant must be an object { activations?, recurrentMask? }, got ${describeArg(variant)}`);
  const a = variant.activations ?? null;
  const mask = variant.recurrentMask ?? null;
  if ((a !== null || mask !== null) && spec.activations === undefined) {
    throw new Error(`${where}: the cell has fixed nonlinearities and takes no recurrent mask; activations and recurrentMask apply to cells that declare activations (${cellNames().filter((n) => getCell(n).activations !== undefined).join(", ")})`);
  }
  let acts: CellActivations | null = null;
  if (a !== null) {
    if (typeof a !== "object") throw new Error(`${where}: activations must be { gate, candidate }, got ${describeArg(a)}`);
    acts = { gate: resolveActivation(where, "activations.gate", a.gate), candidate: resolveActivation(where, "activations.candidate", a.candidate) };
  }
  if (mask !== null) {
    const want = h0.shape;
    if (!(mask instanceof Tensor) || mask.ndim !== 2 || mask.shape[0] !== want[0] || mask.shape[1] !== want[1]) {
      throw new Error(`${where}: recurrentMask must be a Tensor of shape ${shapeStr(want)} (B, P), got ${describeArg(mask)}`);
    }
    requireFinite(where, "recurrentMask", mask);
  }
  // The mask is a constant of the step: detached, so no gradient reaches it on either path.
  return { activations: nonDefaultActivations(spec, acts) ? acts : null, mask: mask === null ? null : mask.detach() };
}

/**
 * Whether this variant runs fused: the backend runs the cell with its activations. A backend that
 * runs a cell which takes variants fused applies the recurrent mask in its kernels too.
 */
function runsFused(spec: CellSpec, v: Variant): boolean {
  return getBackend().runsFused(spec.name, v.activations ?? undefined);
}

/** The variant as the cell's step takes it. */
function stepVariant(v: Variant, mask: Tensor | null): CellVariant | undefined {
  if (v.activations === null && mask === null) return undefined;
  return v.activations === null ? { recurrentMask: mask } : { activations: v.activations, recurrentMask: mask };
}

function noticeGeneric(spec: CellSpec, v: Variant): void {
  const backend = getBackend();
  const acts = v.activations === null ? "" : ` with ${describeActivations(spec, v.activations)}`;
  const masked = v.mask === null ? "" : " with a recurrent dropout mask";
  const key = `${backend.name}/${spec.name}${acts}${masked}`;
  if (!noticed.has(key)) {
    noticed.add(key);
    cellLog(`recurrent: cell "${spec.name}"${acts}${masked} has no fused kernel on the ${backend.name} backend; it runs on the generic path (one autograd step per time step, slower)`);
  }
}

/** Packs by the plan, runs the packed steps (fused or generic), unpacks outputs and final states. */
function plannedDirection(spec: CellSpec, x: Tensor, h0: Tensor, c0: Tensor | null, params: CellParams, H: number, plan: DirectionPlan, v: Variant): DirectionResult {
  const [T, B, I] = x.shape as [number, number, number];
  const P = h0.shape[1]!;
  let packed: DirectionResult | null = null;
  if (plan.N > 0) {
    const xp = gatherRows(reshape(x, [T * B, I]), plan.xIndex); // (N, I)
    const h0p = gatherRows(h0, plan.stateIndex); // (B', P)
    const c0p = c0 === null ? null : gatherRows(c0, plan.stateIndex); // (B', H)
    const vp: Variant = v.mask === null ? v : { activations: v.activations, mask: gatherRows(v.mask, plan.stateIndex) }; // mask (B', P)
    if (runsFused(spec, vp)) packed = fusedDirection(spec, xp, h0p, c0p, params, H, false, plan.batchSizes, vp);
    else {
      noticeGeneric(spec, vp);
      packed = genericPacked(spec, xp, h0p, c0p, params, H, plan.batchSizes, vp);
    }
  }
  // Row N + b of the output sources is h0[b]: masked steps before any real one repeat it.
  const out = reshape(gatherRows(packed === null ? [h0] : [packed.out, h0], plan.outIndex), [T, B, P]);
  const hN = gatherRows(packed === null ? [h0] : [packed.hN, h0], plan.finalIndex);
  const cN = c0 === null ? null : gatherRows(packed === null || packed.cN === null ? [c0] : [packed.cN, c0], plan.finalIndex);
  return { out, hN, cN };
}

/**
 * The generic path on packed rows: step s runs the cell's autograd step on the first
 * batchSizes[s] rows of the state (rows are longest first), the others keep theirs.
 */
function genericPacked(spec: CellSpec, x: Tensor, h0: Tensor, c0: Tensor | null, params: CellParams, H: number, batchSizes: Int32Array, v: Variant): DirectionResult {
  const step = spec.step;
  if (step === undefined) throw new Error(`cell "${spec.name}": the backend does not run it fused and it has no step for the generic path`);
  const B = h0.shape[0]!;
  const P = h0.shape[1]!;
  const outs: Tensor[] = [];
  let state: CellState = c0 === null ? { h: h0 } : { h: h0, c: c0 };
  let off = 0;
  for (let s = 0; s < batchSizes.length; s++) {
    const bs = batchSizes[s]!;
    const prefix = (t: Tensor): Tensor => (bs === B ? t : slice(t, 0, 0, bs));
    const rest = (now: Tensor, before: Tensor): Tensor => (bs === B ? now : concat([now, slice(before, 0, bs, B)], 0));
    const running: CellState = state.c === undefined ? { h: prefix(state.h) } : { h: prefix(state.h), c: prefix(state.c) };
    const next = step(slice(x, 0, off, off + bs), running, params, stepVariant(v, v.mask === null ? null : prefix(v.mask)));
    checkStepResult(spec, next, bs, P, H);
    outs.push(next.h);
    state = state.c === undefined || next.c === undefined ? { h: rest(next.h, state.h) } : { h: rest(next.h, state.h), c: rest(next.c, state.c) };
    off += bs;
  }
  return { out: concat(outs, 0), hN: state.h, cN: spec.states.length === 2 ? (state.c ?? null) : null };
}

/** The generic path: the cell's autograd step, once per time step. */
function genericDirection(spec: CellSpec, x: Tensor, h0: Tensor, c0: Tensor | null, params: CellParams, H: number, reverse: boolean, v: Variant): DirectionResult {
  const step = spec.step;
  if (step === undefined) throw new Error(`cell "${spec.name}": the backend does not run it fused and it has no step for the generic path`);
  const T = x.shape[0]!;
  const B = x.shape[1]!;
  const P = h0.shape[1]!;
  const outs: Tensor[] = new Array<Tensor>(T);
  let state: CellState = c0 === null ? { h: h0 } : { h: h0, c: c0 };
  const sv = stepVariant(v, v.mask);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    state = step(select(x, 0, t), state, params, sv);
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
function fusedDirection(
  spec: CellSpec,
  x: Tensor, // (T, B, I), or (N, I) packed
  h0: Tensor,
  c0: Tensor | null,
  params: CellParams,
  H: number,
  reverse: boolean,
  batchSizes: Int32Array | null,
  v: Variant,
): DirectionResult {
  const T = batchSizes === null ? x.shape[0]! : batchSizes.length;
  const B = h0.shape[0]!;
  const I = x.shape[x.ndim - 1]!;
  const rowsOut = batchSizes === null ? T * B : x.shape[0]!; // T·B, or N packed
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
  const out = new Float32Array(rowsOut * P);
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
    batchSizes,
    x: x.data,
    wIh: wIh.data,
    wHh: wHh.data,
    bIh: bIh?.data ?? null,
    bHh: bHh?.data ?? null,
    wHr: wHr?.data ?? null,
    h0: h0.data,
    c0: c0?.data ?? null,
    ...(extra.length > 0 ? { extra: extra.map((t) => t.data) } : {}),
    ...(v.activations !== null ? { activations: v.activations } : {}),
    ...(v.mask !== null ? { recurrentMask: v.mask.data } : {}),
  };
  const cache = backend.recurrentForward({ ...common, training, out, hN, cN });
  // Without gradient nothing will read the cache: give it back now, not when it is collected.
  if (!training) backend.releaseCache(cache);
  const result: DirectionResult = {
    out: new Tensor(out, batchSizes === null ? [T, B, P] : [rowsOut, P]),
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
      // Pooled: a parameter's gradient array comes back to the pool once added into its .grad.
      if (typeof name === "number") dExtra[name] = takeZeroed(t.size);
      else g[name] = takeZeroed(t.size);
    }
    const extraGrads = extra.length > 0 ? { dExtra } : {};
    backend.recurrentBackward({ ...common, cache, out, dOut: dOut ?? null, dHN: dHN ?? null, dCN: dCN ?? null, ...g, ...extraGrads });
    // The tape releases this node after backward; tell the backend its cache is done too (a
    // second backward with retainGraph still reads it, until a later forward reuses the memory).
    backend.releaseCache(cache);
    return slots.map(([, name]) => (typeof name === "number" ? dExtra[name]! : g[name]));
  });
  return result;
}
