/**
 * The cells the wasm backend runs as fused whole-sequence kernels. recurrent.ts drives the
 * built-in four (rnn_tanh, rnn_relu, lstm, gru); every other fused cell has its own driver file,
 * listed once below. Any other cell runs on the layers' generic path, as does a cell with
 * activations the kernels lack (variant.ts).
 */
import type { CellName, RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../backend.js";
import { getCell, hasCell } from "../../nn/cells/registry.js";
import type { CellActivations } from "../../nn/cells/spec.js";
import { nonDefaultActivations } from "../../nn/cells/variant.js";
import { activationCode } from "./variant.js";
import type { WasmContext } from "./context.js";
import { layerNormBackward, layerNormForward } from "./layernorm-lstm.js";
import { peepholeBackward, peepholeForward } from "./peephole-lstm.js";
import { gruResetBeforeBackward, gruResetBeforeForward } from "./gru-reset-before.js";

/** A fused cell's whole-sequence forward and backward on this backend. */
export interface WasmDriver {
  forward(ctx: WasmContext, a: RecurrentForwardArgs): RecurrentCache;
  backward(ctx: WasmContext, a: RecurrentBackwardArgs): void;
  /** Takes the activations of variant.ts and the recurrent mask (cells that declare activations). */
  variants?: boolean;
}

/** The cells recurrent.ts drives itself. */
const BUILT_IN: ReadonlySet<CellName> = new Set(["rnn_tanh", "rnn_relu", "lstm", "gru"]);

/** The other fused cells, one line each. */
const DRIVERS: ReadonlyMap<CellName, WasmDriver> = new Map([
  ["peephole_lstm", { forward: peepholeForward, backward: peepholeBackward }],
  ["layernorm_lstm", { forward: layerNormForward, backward: layerNormBackward }],
  ["gru_reset_before", { forward: gruResetBeforeForward, backward: gruResetBeforeBackward, variants: true }],
]);

/**
 * True when the wasm backend has a fused kernel for the cell with these nonlinearities (absent:
 * its defaults): the built-in four run any of variant.ts's as gate and candidate.
 */
export function runsFusedWasm(name: CellName, activations?: CellActivations): boolean {
  if (!BUILT_IN.has(name) && !DRIVERS.has(name)) return false;
  if (activations === undefined || !hasCell(name) || !nonDefaultActivations(getCell(name), activations)) return true;
  const variants = BUILT_IN.has(name) || DRIVERS.get(name)?.variants === true;
  return variants && activationCode(activations.gate) !== undefined && activationCode(activations.candidate) !== undefined;
}

/** The driver of a fused cell other than the built-in four, or undefined. */
export function cellDriver(name: CellName): WasmDriver | undefined {
  return DRIVERS.get(name);
}

/** Gate rows per hidden unit of a fused cell; throws naming the call for any other cell. */
export function fusedGates(where: string, name: CellName): number {
  if (!runsFusedWasm(name)) {
    throw new Error(`${where}: the wasm backend has no fused kernel for cell ${JSON.stringify(name)}; fused cells: ${[...BUILT_IN, ...DRIVERS.keys()].join(", ")}`);
  }
  return getCell(name).gatesPerUnit;
}
