/**
 * Messages between the language-model page and its training worker. Progress is posted at most
 * a few times a second (see PROGRESS_INTERVAL_MS), so a fast model cannot flood the page.
 */
import type { CellKind, EpochMetrics } from "recurrent";

/** What the form sets; the rest of the run's config takes the CLI's defaults. */
export interface LMOptions {
  cell: CellKind;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  lr: number;
  clip: number;
  numEpochs: number;
  batchSize: number;
  numSteps: number;
  maxTokens: number;
  checkpointEvery: number;
  seed: number;
}

/** The training text: the bundled Time Machine, or the user's. */
export interface TextSource {
  /** Shown in messages and stored as the config's textPath. */
  name: string;
  text: string;
}

/** One file of a run folder, by its name inside the folder ("checkpoints/epoch-0010.json"). */
export interface RunFile {
  name: string;
  bytes: Uint8Array;
}

/** A gate or state over a typed text: values[t·H + j] for character t and unit j. */
export interface UnitTrace {
  name: string;
  values: Float32Array;
}

export interface InspectResult {
  chars: string[];
  hiddenSize: number;
  cell: CellKind;
  traces: UnitTrace[];
  /** Whether the model has been trained (or loaded) or is freshly initialised. */
  trained: boolean;
}

export type ToWorker =
  | { type: "init"; threads: number }
  | { type: "start"; options: LMOptions; source: TextSource; runId: string }
  | { type: "continue"; runId: string; numEpochs: number; source: TextSource | null }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "stop" }
  | { type: "sample"; prefix: string; temperature: number; length: number }
  | { type: "open"; runId: string }
  | { type: "import"; runId: string; files: RunFile[] }
  | { type: "export"; runId: string }
  | { type: "inspect"; text: string; options: LMOptions };

export type RunStatus = "idle" | "training" | "paused" | "stopping";

export type FromWorker =
  | { type: "ready"; threads: number; isolated: boolean; backend: string }
  | { type: "status"; status: RunStatus; runId: string | null; message: string }
  | { type: "progress"; epoch: number; batch: number; numBatches: number; tokensPerSecond: number; loss: number }
  | { type: "epoch"; metrics: EpochMetrics }
  | { type: "history"; metrics: EpochMetrics[]; description: string }
  | { type: "sample"; epoch: number; text: string; temperature: number }
  | { type: "opened"; runId: string; epoch: number; description: string; options: LMOptions; canContinue: boolean }
  | { type: "exported"; runId: string; files: RunFile[] }
  | { type: "inspected"; result: InspectResult }
  | { type: "error"; message: string };

/** Fewest milliseconds between two progress messages. */
export const PROGRESS_INTERVAL_MS = 250;
