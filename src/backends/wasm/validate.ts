/**
 * Argument checks for the wasm backend. The kernels read and write linear memory by offsets, so a
 * wrong length would corrupt results silently; every check names the call, the argument, the
 * shape it needs and what came.
 */
import type { RecurrentBackwardArgs, RecurrentForwardArgs } from "../backend.js";
import { fusedGates } from "./fused.js";
import { getCell } from "../../nn/cells/registry.js";
import { packedOffsets } from "../packed.js";

/** The shape name and dims of a (T, B, W) sequence buffer, or (N, W) for a packed call. */
function seq(where: string, a: Pick<RecurrentForwardArgs, "T" | "B" | "batchSizes">, W: string, w: number): [string, number[]] {
  if (a.batchSizes == null) return [`(T, B, ${W})`, [a.T, a.B, w]];
  return [`(N, ${W})`, [packedOffsets(where, a.batchSizes, a.T, a.B).N, w]];
}

/** Cells whose state includes c (LSTM-like). */
const hasC = (mode: string): boolean => getCell(mode).states.length === 2;

function dim(where: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${where}: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

/** Checks that `array` holds exactly the product of `dims` floats. */
export function length(where: string, name: string, array: Float32Array, shape: string, dims: number[]): void {
  const want = dims.reduce((a, b) => a * b, 1);
  if (!(array instanceof Float32Array)) throw new Error(`${where}: ${name} must be a Float32Array ${shape}`);
  if (array.length !== want) {
    throw new Error(`${where}: ${name} has ${array.length} floats, expected ${shape} = (${dims.join(", ")}) = ${want}`);
  }
}

function optional(where: string, name: string, array: Float32Array | null, shape: string, dims: number[]): void {
  if (array !== null) length(where, name, array, shape, dims);
}

export function checkGemm(M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array, transA: boolean, transB: boolean): void {
  const where = "wasm backend.gemm";
  dim(where, "M", M, 0);
  dim(where, "N", N, 0);
  dim(where, "K", K, 0);
  length(where, "A", A, transA ? "(K, M)" : "(M, K)", transA ? [K, M] : [M, K]);
  length(where, "B", B, transB ? "(N, K)" : "(K, N)", transB ? [N, K] : [K, N]);
  length(where, "C", C, "(M, N)", [M, N]);
}

/** The checks shared by forward and backward; returns G. */
function checkCommon(where: string, a: Omit<RecurrentForwardArgs, "out" | "hN" | "cN" | "training">): number {
  const { mode, T, B, I, H, P } = a;
  const gates = fusedGates(where, mode);
  dim(where, "T", T, 0);
  dim(where, "B", B, 1);
  dim(where, "I", I, 1);
  dim(where, "H", H, 1);
  dim(where, "P", P, 1);
  const G = gates * H;
  if (a.wHr !== null) {
    if (!getCell(mode).projection) throw new Error(`${where}: wHr (projection) is only for cells with a projection (lstm), got mode ${mode}`);
    if (P >= H) throw new Error(`${where}: with a projection P must be < H, got P = ${P}, H = ${H}`);
    length(where, "wHr", a.wHr, "(P, H)", [P, H]);
  } else if (P !== H) {
    throw new Error(`${where}: P must equal H without a projection (wHr), got P = ${P}, H = ${H}`);
  }
  length(where, "x", a.x, ...seq(where, a, "I", I));
  length(where, "wIh", a.wIh, "(G, I)", [G, I]);
  length(where, "wHh", a.wHh, "(G, P)", [G, P]);
  optional(where, "bIh", a.bIh, "(G)", [G]);
  optional(where, "bHh", a.bHh, "(G)", [G]);
  length(where, "h0", a.h0, "(B, P)", [B, P]);
  if (hasC(mode)) optional(where, "c0", a.c0, "(B, H)", [B, H]);
  optional(where, "recurrentMask", a.recurrentMask ?? null, "(B, P)", [B, P]);
  return G;
}

export function checkForward(a: RecurrentForwardArgs): void {
  const where = "wasm backend.recurrentForward";
  checkCommon(where, a);
  const { B, H, P } = a;
  length(where, "out", a.out, ...seq(where, a, "P", P));
  length(where, "hN", a.hN, "(B, P)", [B, P]);
  if (hasC(a.mode)) optional(where, "cN", a.cN, "(B, H)", [B, H]);
}

export function checkBackward(a: RecurrentBackwardArgs): void {
  const where = "wasm backend.recurrentBackward";
  const G = checkCommon(where, a);
  const { B, I, H, P } = a;
  length(where, "out", a.out, ...seq(where, a, "P", P));
  optional(where, "dOut", a.dOut, ...seq(where, a, "P", P));
  optional(where, "dHN", a.dHN, "(B, P)", [B, P]);
  optional(where, "dx", a.dx, ...seq(where, a, "I", I));
  optional(where, "dh0", a.dh0, "(B, P)", [B, P]);
  optional(where, "dWIh", a.dWIh, "(G, I)", [G, I]);
  optional(where, "dWHh", a.dWHh, "(G, P)", [G, P]);
  optional(where, "dBIh", a.dBIh, "(G)", [G]);
  optional(where, "dBHh", a.dBHh, "(G)", [G]);
  if (hasC(a.mode)) {
    optional(where, "dCN", a.dCN, "(B, H)", [B, H]);
    optional(where, "dc0", a.dc0, "(B, H)", [B, H]);
  }
  if (a.wHr !== null) optional(where, "dWHr", a.dWHr, "(P, H)", [P, H]);
  if (a.cache.backend !== "wasm") {
    throw new Error(`${where}: the cache comes from the "${a.cache.backend}" backend; run forward and backward on the same backend`);
  }
}

/** Checks a cell's extra parameters (and their gradients) against the lengths it needs. */
export function checkExtra(where: string, extra: readonly Float32Array[] | undefined, names: readonly string[], lengths: readonly number[]): void {
  const got = extra?.length ?? 0;
  if (got !== names.length) throw new Error(`${where}: extra must hold ${names.length} arrays (${names.join(", ")}), got ${got}`);
  names.forEach((name, i) => length(where, `extra[${i}] (${name})`, extra![i]!, `(${lengths[i]})`, [lengths[i]!]));
}
