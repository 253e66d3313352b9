/**
 * `charlm.json`: what a char LM's weights file cannot say, written beside every export of a
 * char-LM run so that `recurrent import` rebuilds the run: the vocabulary (token of each logit)
 * and the run's configuration (data, sampler, optimiser, schedule, the text's path and SHA-256).
 *
 *   { "format": "recurrent-charlm", "version": 1, "config": {...config.json...}, "vocab": {...vocab.json...} }
 *
 * PyTorch and TF.js exports are folders and hold it as `charlm.json`; an ONNX export `x.onnx`
 * has it as `x.charlm.json`. The generated train_ddp.py copies it next to the weights it writes.
 */
import { Vocab } from "../../../data/text/vocab.js";
import { configToJson, parseCharLMConfig, type CharLMConfig } from "../../../tasks/charlm/config.js";
import { parseJsonChecked } from "../../json.js";

export const CHARLM_SIDECAR_FORMAT = "recurrent-charlm";
export const CHARLM_SIDECAR_FILE = "charlm.json";

/** A charlm.json that cannot be used: the message names the file and the field. */
export class CharLMSidecarError extends Error {}

/** A char LM's sidecar, decoded. */
export interface CharLMSidecar {
  config: CharLMConfig;
  vocab: Vocab;
}

/** The sidecar's text. */
export function encodeCharLMSidecar(config: CharLMConfig, vocab: Vocab): string {
  return `${JSON.stringify({ format: CHARLM_SIDECAR_FORMAT, version: 1, config: configToJson(config), vocab: vocab.toJSON() }, null, 1)}\n`;
}

/** Reads a sidecar's bytes, checking every field; errors (CharLMSidecarError) name `where` (the file). */
export function decodeCharLMSidecar(bytes: Uint8Array, where: string): CharLMSidecar {
  try {
    return decode(bytes, where);
  } catch (err) {
    if (err instanceof CharLMSidecarError) throw err;
    throw new CharLMSidecarError(err instanceof Error ? err.message : String(err));
  }
}

function decode(bytes: Uint8Array, where: string): CharLMSidecar {
  const json = parseJsonChecked(bytes, where);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new CharLMSidecarError(`${where}: expected a JSON object, got ${Array.isArray(json) ? "an array" : typeof json}`);
  const format: unknown = Reflect.get(json, "format");
  const version: unknown = Reflect.get(json, "version");
  if (format !== CHARLM_SIDECAR_FORMAT) throw new CharLMSidecarError(`${where}: format must be "${CHARLM_SIDECAR_FORMAT}", got ${clip(format)}`);
  if (version !== 1) throw new CharLMSidecarError(`${where}: version must be 1, got ${clip(version)}`);
  const config = parseCharLMConfig(Reflect.get(json, "config"), `${where}: config`);
  let vocab: Vocab;
  try {
    vocab = Vocab.fromJSON(Reflect.get(json, "vocab"));
  } catch (err) {
    throw new CharLMSidecarError(`${where}: vocab: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { config, vocab };
}

function clip(v: unknown): string {
  const text = JSON.stringify(v) ?? "nothing";
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}
