#!/usr/bin/env node
// The `recurrent` command. Runs the compiled CLI (dist/cli/main.js) when the package is built;
// in a source checkout without a build it runs src/cli/main.ts through tsx.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/cli/main.js", import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  const source = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
  // Resolved from here, so the command works from any working directory.
  const tsx = import.meta.resolve("tsx");
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", tsx, source, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exitCode = r.status ?? 1;
}
