/** Messages between the experiments page and its worker. */
import type { MemoryCell } from "recurrent";

export interface MemoryRequest {
  type: "memory";
  cells: MemoryCell[];
  /** Sequence length T of the adding problem. */
  length: number;
  epochs: number;
}

export type ToExperiments = MemoryRequest | { type: "stop" };

export type FromExperiments =
  | { type: "curve"; cell: MemoryCell; epoch: number; testMse: number }
  | { type: "gradients"; cell: MemoryCell; when: "init" | "trained"; norms: number[] }
  | { type: "done"; seconds: number; aborted: boolean }
  | { type: "error"; message: string };
