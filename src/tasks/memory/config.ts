/** The memory task's config, typed: the schema's options with defaults filled and checked. */
import { checkConfig, type OptionValue } from "../schema.js";
import { MEMORY_CELLS, type MemoryCell } from "./model.js";
import { MEMORY_DEFAULTS, MEMORY_SCHEMA } from "./schema.js";

export interface MemoryConfig {
  length: number;
  /** Cells trained on the task ("relu" is kept for the exploding case). */
  cells: MemoryCell[];
  hiddenSize: number;
  trainSize: number;
  testSize: number;
  batchSize: number;
  numEpochs: number;
  lr: number;
  clip: number;
  skipExploding: boolean;
  explodeGain: number;
  seed: number;
  checkpointEvery: number;
}

/** Fills defaults into `input` and checks every field; errors name `where` and the field. */
export function resolveMemoryConfig(input: Record<string, OptionValue | undefined>, where = "memory"): MemoryConfig {
  const merged: Record<string, OptionValue> = { ...MEMORY_DEFAULTS };
  for (const [k, v] of Object.entries(input)) if (v !== undefined) merged[k] = v;
  const c = checkConfig(MEMORY_SCHEMA, merged, where);
  const num = (k: string): number => Number(c[k]);
  const names = String(c["cells"]).split(",").map((s) => s.trim()).filter((s) => s !== "");
  const cells = names.map((n) => {
    const cell = MEMORY_CELLS.find((k) => k === n && k !== "relu");
    if (cell === undefined) throw new Error(`${where}: cells must list rnn, lstm or gru (comma-separated), got ${JSON.stringify(n)}`);
    return cell;
  });
  if (cells.length === 0) throw new Error(`${where}: cells must name at least one cell`);
  if (num("length") < 2) throw new Error(`${where}: length must be at least 2, got ${num("length")}`);
  return {
    length: num("length"),
    cells,
    hiddenSize: num("hiddenSize"),
    trainSize: num("trainSize"),
    testSize: num("testSize"),
    batchSize: num("batchSize"),
    numEpochs: num("numEpochs"),
    lr: num("lr"),
    clip: num("clip"),
    skipExploding: c["skipExploding"] === true,
    explodeGain: num("explodeGain"),
    seed: num("seed"),
    checkpointEvery: num("checkpointEvery"),
  };
}
