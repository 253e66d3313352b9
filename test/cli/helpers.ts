/** Running the command line in tests: in this process (fast) or as a child process (the real binary path). */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/run.js";

/** The backend the suite runs on (scripts/test.mjs sets RECURRENT_BACKEND), passed to commands explicitly. */
export const BACKEND = process.env["RECURRENT_BACKEND"] ?? "reference";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** runCli with captured streams. */
export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: { write: (s: string) => (stdout += s), isTTY: false }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

/** The CLI as a child process: `node --conditions=source --import tsx src/cli/main.ts ...argv`. */
export function spawnCli(argv: string[], cwd = ROOT): { done: Promise<CliResult>; kill: (signal: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN, ...argv], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal !== null ? 128 : 1), stdout, stderr }));
  });
  return { done, kill: (signal) => child.kill(signal) };
}
