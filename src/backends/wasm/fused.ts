/**
 * The cells the wasm backend runs as fused whole-sequence kernels. recurrent.ts drives the
 * built-in four (rnn_tanh, rnn_relu, lstm, gru); other cells with a kernel here have their own
 * driver file, listed once below. Any other cell runs on the layers' generic path.
 */
import type { CellName } from "../backend.js";
import { getCell } from "../../nn/cells/registry.js";

/** The cells recurrent.ts drives itself. */
const BUILT_IN: ReadonlySet<CellName> = new Set(["rnn_tanh", "rnn_relu", "lstm", "gru"]);

/** True when the wasm backend has a fused kernel for the cell. */
export function runsFusedWasm(name: CellName): boolean {
  return BUILT_IN.has(name);
}

/** Gate rows per hidden unit of a fused cell; throws naming the call for any other cell. */
export function fusedGates(where: string, name: CellName): number {
  if (!runsFusedWasm(name)) {
    throw new Error(`${where}: the wasm backend has no fused kernel for cell ${JSON.stringify(name)}; fused cells: ${[...BUILT_IN].join(", ")}`);
  }
  return getCell(name).gatesPerUnit;
}
