/** Messages between the experiments page and its worker; one experiment runs at a time. */
import type { MemoryCell, Series } from "recurrent";

export type ExperimentName = "memory" | "highway" | "forecast";

export type ToExperiments =
  /** RNN vs LSTM vs GRU on the adding problem of length T. */
  | { type: "memory"; cells: MemoryCell[]; length: number; epochs: number }
  /** Plain vs highway networks of `depth` layers on the bundled Fashion-MNIST slice. */
  | { type: "highway"; depth: number; epochs: number; images: { train: ArrayBuffer; labels: ArrayBuffer } }
  /** An LSTM or GRU forecasting the Mauna Loa CO2 series against two baselines. */
  | { type: "forecast"; cell: "lstm" | "gru"; epochs: number; csv: string }
  | { type: "stop" };

export type FromExperiments =
  /** One more point of a live curve. */
  | { type: "point"; experiment: ExperimentName; series: string; x: number; y: number }
  | { type: "gradients"; cell: MemoryCell; when: "init" | "trained"; norms: number[] }
  | { type: "forecast"; series: Series[]; summary: string }
  | { type: "done"; experiment: ExperimentName; seconds: number; aborted: boolean; summary: string }
  | { type: "error"; experiment: ExperimentName; message: string };
