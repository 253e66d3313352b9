/**
 * The cell registry: names to specs. Layers, cells and backends look a cell up here by name, so a
 * new cell is its own file plus one line below (or a `registerCell` call in user code).
 */
import { gruCell } from "./gru.js";
import { gruResetBeforeCell } from "./gru-reset-before.js";
import { layerNormLstmCell } from "./layernorm-lstm.js";
import { lstmCell } from "./lstm.js";
import { peepholeLstmCell } from "./peephole-lstm.js";
import { rnnReluCell, rnnTanhCell } from "./rnn.js";
import type { CellName, CellSpec } from "./spec.js";

const cells = new Map<CellName, CellSpec>();

const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Adds a cell under `spec.name` (lower snake case). Throws if the name is taken, unless
 * `replace` is true, or if the spec is inconsistent (no way to run it, bad gate count, no h state).
 */
export function registerCell(spec: CellSpec, { replace = false }: { replace?: boolean } = {}): CellSpec {
  const where = "registerCell";
  if (typeof spec.name !== "string" || !NAME.test(spec.name)) {
    throw new Error(`${where}: name must be lower snake case (e.g. "my_cell"), got ${JSON.stringify(spec.name)}`);
  }
  if (!Number.isInteger(spec.gatesPerUnit) || spec.gatesPerUnit < 1) {
    throw new Error(`${where}("${spec.name}"): gatesPerUnit must be a positive integer, got ${spec.gatesPerUnit}`);
  }
  if (spec.states[0] !== "h" || spec.states.length > 2 || (spec.states.length === 2 && spec.states[1] !== "c")) {
    throw new Error(`${where}("${spec.name}"): states must be ["h"] or ["h", "c"], got ${JSON.stringify(spec.states)}`);
  }
  if (spec.reference === undefined && spec.step === undefined) {
    throw new Error(`${where}("${spec.name}"): a cell needs a step (autograd ops) or a reference kernel`);
  }
  const suffixes = spec.parameters.map((p) => p.suffix);
  const dup = suffixes.find((s, i) => suffixes.indexOf(s) !== i);
  if (dup !== undefined) throw new Error(`${where}("${spec.name}"): parameter ${dup} is declared twice`);
  if (cells.has(spec.name) && !replace) {
    throw new Error(`${where}: a cell named "${spec.name}" is already registered (pass { replace: true } to replace it)`);
  }
  cells.set(spec.name, spec);
  return spec;
}

/** The spec registered under `name`; throws listing the known names when there is none. */
export function getCell(name: CellName): CellSpec {
  const spec = cells.get(name);
  if (spec === undefined) {
    throw new Error(`getCell: no cell named ${JSON.stringify(name)}; known cells: ${cellNames().join(", ")}`);
  }
  return spec;
}

/** The spec for a layer or cell being built; throws naming `where` and the known cells. */
export function cellFor(where: string, name: CellName): CellSpec {
  const spec = cells.get(name);
  if (spec === undefined) throw new Error(`${where}: no cell named ${JSON.stringify(name)}; known cells: ${cellNames().join(", ")}`);
  return spec;
}

/** True when a cell is registered under `name`. */
export function hasCell(name: CellName): boolean {
  return cells.has(name);
}

/** Every registered name, in registration order. */
export function cellNames(): CellName[] {
  return [...cells.keys()];
}

// The built-in cells, one line each.
registerCell(rnnTanhCell);
registerCell(rnnReluCell);
registerCell(lstmCell);
registerCell(gruCell);
registerCell(peepholeLstmCell);
registerCell(layerNormLstmCell);
registerCell(gruResetBeforeCell);
