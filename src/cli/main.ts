#!/usr/bin/env node
/** Entry point of the `recurrent` command (bin/recurrent.mjs runs the built copy of this file). */
// The Node entry is loaded for its side effects: it registers the built-in backends and, where the
// optional resvg package is installed, the anti-aliased PNG renderer for plots.
import "../node.js";
import { processIO } from "./io.js";
import { runCli } from "./run.js";

process.exitCode = await runCli(process.argv.slice(2), processIO());
