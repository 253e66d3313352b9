/**
 * `npm run bench`: runs the standard workloads for ours and for each peer present, one runner
 * at a time, and prints them side by side with ratios (or JSON lines with --json).
 * Progress goes to stderr, the table or the JSON lines to stdout.
 */
import { machineInfo } from "./machine.js";
import { USAGE, parseBenchArgs, runnerArgs, type BenchOptions } from "./options.js";
import { formatValue, renderTable } from "./report.js";
import { parseLine, type BenchMeta, type BenchResult, type BenchSkip } from "./result.js";
import { failureReason, planPeers, runRunner, runnerCommand, runnerTimeoutMs, type RunnerName } from "./runners.js";
import { selectWorkloads, type Workload } from "./workloads.js";

function parseOrExit(argv: string[]): { options: BenchOptions; workloads: Workload[] } {
  try {
    const options = parseBenchArgs(argv);
    return { options, workloads: selectWorkloads(options.only) };
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const { options, workloads } = parseOrExit(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const backend = options.backend ?? "wasm";
  if (backend !== "wasm" && backend !== "reference") {
    process.stderr.write(`bench: --backend must be "wasm" or "reference", got "${backend}"\n`);
    process.exit(2);
  }
  const machine = machineInfo();
  const results: BenchResult[] = [];
  const metas: BenchMeta[] = [];
  const skips: BenchSkip[] = [];
  const missing: { peer: string; reason: string }[] = [];

  // Ours on one thread, and on two worker threads unless --threads picks one of them.
  const ours: RunnerName[] = options.threads.length === 0 ? ["ours", "ours-2t"] : [];
  for (const t of options.threads) {
    if (t !== 1 && t !== 2) {
      process.stderr.write(`bench: --threads takes 1 and/or 2 (the table has a column for each), got ${t}\n`);
      process.exit(2);
    }
    ours.push(t === 1 ? "ours" : "ours-2t");
  }
  const runners: RunnerName[] = backend === "wasm" ? ours : ["ours"];
  for (const p of planPeers(options.peers)) {
    if (p.missing === null) runners.push(p.name);
    else missing.push({ peer: p.name, reason: `not run: ${p.missing}` });
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ machine })}\n`);

  const args = runnerArgs(options);
  for (const name of runners) {
    process.stderr.write(`bench: running ${name} (${workloads.length} workloads, ${options.measure.windowS} s window each)\n`);
    let produced = 0;
    const cmd = runnerCommand(name, args, name === "ours" || name === "ours-2t" ? backend : null);
    const exit = await runRunner(cmd, runnerTimeoutMs(workloads.length, options.measure.windowS), (line) => {
      const parsed = parseLine(line);
      if (parsed === null) return;
      if (options.json) process.stdout.write(`${line.trim()}\n`);
      if (parsed.kind === "result") {
        results.push(parsed.result);
        produced++;
        const r = parsed.result;
        process.stderr.write(`  ${r.peer} ${r.workload}: ${formatValue(r.value)} ${r.metric} (${r.steps ?? "?"} steps)\n`);
      } else if (parsed.kind === "meta") {
        metas.push(parsed.meta);
      } else {
        skips.push(parsed.skip);
        produced++;
        process.stderr.write(`  ${parsed.skip.peer} ${parsed.skip.workload}: failed: ${parsed.skip.error}\n`);
      }
    });
    if (exit.code !== 0 || exit.timedOut) {
      const reason = failureReason(name, exit);
      process.stderr.write(`bench: ${name} ${reason}\n`);
      missing.push({ peer: name, reason: `${produced === 0 ? "not run" : "stopped early"}: ${reason}` });
    }
  }

  if (options.json) {
    for (const m of missing) process.stdout.write(`${JSON.stringify({ peer: m.peer, missing: m.reason })}\n`);
  } else {
    process.stdout.write(`${renderTable({ machine, workloads, results, metas, skips, missing })}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
