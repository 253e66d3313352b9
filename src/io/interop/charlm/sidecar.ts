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

/** A char LM's sidecar, decoded. */
export interface CharLMSidecar {
  config: CharLMConfig;
  vocab: Vocab;
}

/** The sidecar's text. */
export function encodeCharLMSidecar(config: CharLMConfig, vocab: Vocab): string {
  return `${JSON.stringify({ format: CHARLM_SIDECAR_FORMAT, version: 1, config: configToJson(config), vocab: vocab.toJSON() }, null, 1)}\n`;
}

/** Reads a sidecar's bytes, checking every field; errors name `where` (the file). */
export function decodeCharLMSidecar(bytes: Uint8Array, where: string): CharLMSidecar {
  const json = parseJsonChecked(bytes, where);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`${where}: expected a JSON object, got ${Array.isArray(json) ? "an array" : typeof json}`);
  const format: unknown = Reflect.get(json, "format");
  const version: unknown = Reflect.get(json, "version");
  if (format !== CHARLM_SIDECAR_FORMAT) throw new Error(`${where}: format must be "${CHARLM_SIDECAR_FORMAT}", got ${JSON.stringify(format) ?? "nothing"}`);
  if (version !== 1) throw new Error(`${where}: version must be 1, got ${JSON.stringify(version) ?? "nothing"}`);
  const config = parseCharLMConfig(Reflect.get(json, "config"), `${where}: config`);
  let vocab: Vocab;
  try {
    vocab = Vocab.fromJSON(Reflect.get(json, "vocab"));
  } catch (err) {
    throw new Error(`${where}: vocab: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { config, vocab };
}
