#!/usr/bin/env node
/** Entry point of the `recurrent` command (bin/recurrent.mjs runs the built copy of this file). */
// The package entry is loaded for its side effects: it registers the backends that are built in.
import "../index.js";
import { processIO } from "./io.js";
import { runCli } from "./run.js";

process.exitCode = await runCli(process.argv.slice(2), processIO());
