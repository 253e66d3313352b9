/** JSON files read with every bound (Node only): kept apart from atomic.ts, which imports only node: modules. */
import { readFileChecked, shownPath, type ReadOptions } from "./atomic.js";
import { parseJsonChecked, type JsonParseOptions } from "./json.js";

/**
 * Reads a JSON file with both bounds: readFileChecked's (regular file, `maxBytes`, default
 * 1 GiB) and parseJsonChecked's (nesting depth, default 64). Errors name `what` and the path.
 */
export function readJsonChecked(path: string, what: string, options: ReadOptions & JsonParseOptions = {}): unknown {
  const bytes = readFileChecked(path, what, options);
  return parseJsonChecked(bytes, `${what} ${shownPath(path)}`, options);
}
