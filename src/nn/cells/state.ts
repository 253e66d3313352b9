/**
 * The state forms a recurrent layer or cell accepts, read into one shape. PyTorch's form (`h0`;
 * `[h0, c0]` for cells with a c state) and the typed form (`{ h }`, `{ h, c }`) are both
 * accepted; anything else throws, naming the layer and the accepted forms, so that a state is
 * never silently ignored (an LSTM given a lone h0 would otherwise run from zero c).
 */
import { Tensor } from "../../tensor/tensor.js";
import { describeArg } from "../options.js";
import type { CellSpec, CellState } from "./spec.js";

/** The PyTorch-style (h, c) tuple, which also carries the typed names: `const [h, c] = s` or `s.h`, `s.c`. */
export type HCState = readonly [Tensor, Tensor] & { readonly h: Tensor; readonly c: Tensor };

/** What an LSTM-like layer or cell accepts as its state. */
export type HCStateInput = readonly [Tensor, Tensor] | { h: Tensor; c: Tensor };

/** What a layer or cell with state h alone accepts. */
export type HStateInput = Tensor | { h: Tensor };

/** Builds the tuple with names. */
export function hcState(h: Tensor, c: Tensor): HCState {
  return Object.assign([h, c] as const, { h, c });
}

/** Both states read from any accepted form; null where none was given. */
export interface ParsedState {
  h: Tensor | null;
  c: Tensor | null;
}

/** "[h0, c0], { h, c } or null/undefined" and the like, for error messages. */
export function acceptedForms(spec: CellSpec, h0 = "h0", c0 = "c0"): string {
  return spec.states.length === 2 ? `[${h0}, ${c0}] (two Tensors), { h, c }, or null/undefined` : `${h0} (a Tensor), { h }, or null/undefined`;
}

/** Reads `state` in any accepted form for `spec`; throws naming `where` for anything else. */
export function parseState(where: string, spec: CellSpec, state: unknown, h0 = "h0", c0 = "c0"): ParsedState {
  if (state === undefined || state === null) return { h: null, c: null };
  const hasC = spec.states.length === 2;
  const fail = (why: string): never => {
    throw new Error(`${where}: the state must be ${acceptedForms(spec, h0, c0)}; got ${describeArg(state)}${why === "" ? "" : ` (${why})`}`);
  };
  if (state instanceof Tensor) {
    if (hasC) fail(`this cell carries h and c; a lone ${h0} would leave c at zeros, so pass [${h0}, ${c0}] or { h, c }`);
    return { h: state, c: null };
  }
  if (Array.isArray(state)) {
    if (!hasC) fail(`this cell carries h only; pass ${h0} itself`);
    const list: unknown[] = state;
    if (list.length !== 2 || !(list[0] instanceof Tensor) || !(list[1] instanceof Tensor)) fail(`expected exactly two Tensors [${h0}, ${c0}]`);
    const [h, c] = list;
    return { h: h instanceof Tensor ? h : null, c: c instanceof Tensor ? c : null };
  }
  if (typeof state === "object") {
    const rec: Record<string, unknown> = { ...state };
    const known: readonly string[] = spec.states;
    const unknown = Object.keys(rec).filter((k) => !known.includes(k));
    if (unknown.length > 0) fail(`unknown key${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; the keys are ${known.join(", ")}`);
    const missing = known.filter((k) => !(rec[k] instanceof Tensor));
    if (missing.length > 0) fail(`${missing.join(" and ")} must be ${missing.length > 1 ? "Tensors" : "a Tensor"}`);
    const h = rec["h"];
    const c = rec["c"];
    return { h: h instanceof Tensor ? h : null, c: c instanceof Tensor ? c : null };
  }
  return fail("");
}

/** The typed form of a result state. */
export function typedState(h: Tensor, c: Tensor | null): CellState {
  return c === null ? { h } : { h, c };
}
