/** Defaults of the command line that are not the library's. */
import { fileURLToPath } from "node:url";

/**
 * Epochs of `recurrent start`, per backend, so that it takes about 2-4 minutes on two cores
 * with the book's LSTM (256 hidden, 10,000 characters, batch 32, 35 steps): one epoch took
 * about 0.4 s with the wasm backend and 5.8 s with the reference one. 350 epochs bring
 * the LSTM to a perplexity of about 1.1, where its text reads like the book's.
 */
export const START_EPOCHS: Readonly<Record<string, number>> = { wasm: 350, reference: 30 };

/** Epochs of `recurrent start` on `backend`; the reference count for a backend not listed. */
export function startEpochs(backend: string): number {
  return START_EPOCHS[backend] ?? START_EPOCHS["reference"] ?? 30;
}

/** The Time Machine as shipped in the package's data/ folder (found from this file, so any working directory works). */
export const DEFAULT_TEXT = fileURLToPath(new URL("../../data/timemachine.txt", import.meta.url));

/** "20250102-030405" in local time, for default run-folder names. */
export function timestamp(d = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
