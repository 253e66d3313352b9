/**
 * Fused recurrent kernels, reference version: one layer, one direction, a whole sequence. The
 * math of each cell lives in its own file under src/nn/cells (its spec's `reference`), next to its
 * equations; this backend looks the cell up and runs that code. A cell without a reference
 * kernel (a user-defined one) is not fused here: layers run it on the generic path.
 */
import type { CellName, RecurrentBackwardArgs, RecurrentCache, RecurrentForwardArgs } from "../backend.js";
import { getCell, hasCell } from "../../nn/cells/registry.js";
import type { CellActivations, CellReference } from "../../nn/cells/spec.js";
import { nonDefaultActivations } from "../../nn/cells/variant.js";
import { scalarActivation } from "../../nn/cells/scalar-activations.js";

function referenceOf(where: string, name: CellName): CellReference {
  const ref = getCell(name).reference;
  if (ref === undefined) throw new Error(`${where}: cell "${name}" has no reference kernel; run it on the generic path (runsFused("${name}") is false)`);
  return ref;
}

export function recurrentForwardReference(a: RecurrentForwardArgs): RecurrentCache {
  return referenceOf("reference backend.recurrentForward", a.mode).forward(a);
}

export function recurrentBackwardReference(a: RecurrentBackwardArgs): void {
  referenceOf("reference backend.recurrentBackward", a.mode).backward(a);
}

/**
 * Every registered cell with a reference kernel runs fused here with its default nonlinearities;
 * a cell that takes variants also with any nonlinearities of scalar-activations.ts.
 */
export function runsFusedReference(name: CellName, activations?: CellActivations): boolean {
  if (!hasCell(name)) return false;
  const spec = getCell(name);
  if (spec.reference === undefined) return false;
  if (!nonDefaultActivations(spec, activations)) return true;
  // A one-row cell has no gate: only its candidate must have a kernel.
  return spec.activations !== undefined && scalarActivation(activations!.candidate) !== undefined && (spec.gatesPerUnit === 1 || scalarActivation(activations!.gate) !== undefined);
}
