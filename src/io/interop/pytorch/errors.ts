/**
 * The one error type the PyTorch readers raise for a malformed, hostile or unsupported file
 * (a bad ZIP, a pickle opcode or global a state dict never holds, offsets outside the file, a
 * size over a limit). Anything else thrown by them would be a bug.
 */
export class PyTorchFormatError extends Error {}

/** The largest file `importPyTorch` and `readTorchStateDict` accept: 1 GiB (`maxBytes` lowers it). */
export const MAX_TORCH_FILE_BYTES = 2 ** 30;

/** The most entries a `torch.save` ZIP may list (one per storage plus a few). */
export const MAX_ZIP_ENTRIES = 100_000;

/** The deepest nesting of tuples, lists and dicts the unpickler builds. */
export const MAX_PICKLE_DEPTH = 64;

/** The most values the unpickler's stack may hold at once (PyTorch's pickles stay under a few thousand: pickle batches SETITEMS by 1000). */
export const MAX_PICKLE_STACK = 100_000;

/** The most entries of the unpickler's memo (about ten per tensor in a state dict). */
export const MAX_PICKLE_MEMO = 1_000_000;

/** Quoted file content (names, globals) is cut to this many characters in errors. */
const MAX_QUOTED = 80;

/** A string from the file as a JSON literal, cut to a readable length. */
export function quote(s: string): string {
  return JSON.stringify(s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}...` : s);
}
