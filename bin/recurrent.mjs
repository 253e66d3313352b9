#!/usr/bin/env node
// The `recurrent` command. Runs the compiled CLI (dist/cli/main.js), which an installed package
// always has; only in a source checkout without a build does it fall back to running
// src/cli/main.ts through tsx (a dev dependency that installed users do not have).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
// Answered here, before the CLI loads: the version is the package's, wherever the CLI comes from.
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const built = new URL("../dist/cli/main.js", import.meta.url);
  if (existsSync(fileURLToPath(built))) {
    await import(built.href);
  } else {
    const source = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
    let tsx;
    try {
      // Resolved from here, so the command works from any working directory.
      tsx = import.meta.resolve("tsx");
    } catch {
      process.stderr.write("recurrent: the package is not built (no dist/cli/main.js); run `npm run build` in its folder\n");
      process.exit(1);
    }
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", tsx, source, ...args], { stdio: "inherit" });
    process.exitCode = r.status ?? 1;
  }
}
