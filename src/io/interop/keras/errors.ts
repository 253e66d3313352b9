/**
 * The one error type the Keras file readers raise for a malformed, hostile or unsupported
 * `.keras` or `.h5` file; its message names the file and the part (config.json,
 * model.weights.h5, a layer) and what was expected. Anything else thrown would be a bug.
 */
export class KerasFormatError extends Error {}

/** The largest `.keras` or `.h5` file read: 512 MiB (the HDF5 reader holds the whole file in memory). */
export const MAX_KERAS_FILE_BYTES = 512 * 2 ** 20;

/** The most layers a model config may list. */
export const MAX_KERAS_LAYERS = 10_000;

/** A value from the file for an error message, clipped so a hostile file cannot make the message long. */
export function clip(v: unknown): string {
  let text: string;
  try {
    text = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    text = typeof v;
  }
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}
