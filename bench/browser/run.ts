/**
 * `npm run bench:browser`: the browser subset of the standard workloads (W1, W4-b1, W4-b64, W5) in
 * headless Chromium, for ours on one thread and on every thread the browser reports, and for
 * TF.js's wasm (SIMD, threads) and cpu backends, each runner in its own fresh page, one at a time.
 * The page is served with the cross-origin isolation headers, so SharedArrayBuffer and wasm
 * threads are available. Prints the table of `npm run bench` (or JSON lines with --json).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { serveIsolated } from "../../scripts/serve-isolated.mjs";
import { CHROMIUM_PATH as CHROMIUM, launchChromium } from "../../scripts/chromium.mjs";
import { machineInfo } from "../machine.js";
import { formatValue, renderTable } from "../report.js";
import { parseLine, type BenchMeta, type BenchResult, type BenchSkip } from "../result.js";
import { runnerTimeoutMs } from "../runners.js";
import { bundleSite } from "./bundle.js";
import { browserColumns, browserJobs, parseBrowserArgs, type BrowserArgs } from "./plan.js";
import { BROWSER_WORKLOADS, jobQuery, peerName } from "./protocol.js";

const USAGE = `Usage: npm run bench:browser -- [options]
  --quick                 short windows (~1 s per cell) for a smoke run
  --json                  print JSON lines instead of the table
  --only W1,W4            run only these workloads (default: ${BROWSER_WORKLOADS.join(", ")})
  --peers tfjs-wasm,tfjs-cpu  TF.js backends to compare with (default: both; tfjs = both; none = ours only)
  --threads 1,N           run ours on these thread counts (default: 1 and navigator.hardwareConcurrency)
  --where worker|main     run the benchmark in a dedicated worker (default) or on the page's main thread
  --window S, --warmup N, --min-steps N, --max-steps N   the timing protocol, as in npm run bench
Chromium: ${CHROMIUM} (set CHROMIUM to use another).`;

function fail(message: string): never {
  process.stderr.write(`bench:browser: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed: BrowserArgs;
  try {
    parsed = parseBrowserArgs(process.argv.slice(2));
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  }
  const { options, where, workloads } = parsed;
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!existsSync(CHROMIUM)) fail(`Chromium not found at ${CHROMIUM}: install Debian's "chromium" package (apt-get install chromium), or set CHROMIUM to its path`);

  const machine = machineInfo();
  const site = mkdtempSync(join(tmpdir(), "recurrent-bench-browser-"));
  let browser: Browser | null = null;
  let server: { url: string; close: () => Promise<void> } | null = null;
  try {
    process.stderr.write("bench:browser: bundling the page\n");
    await bundleSite(site);
    server = await serveIsolated(site);
    browser = await launchChromium();
    const cores = await hardwareConcurrency(browser);
    const header = [`Browser: Chromium ${browser.version()}, navigator.hardwareConcurrency ${cores}, benchmark in a ${where === "worker" ? "dedicated worker" : "page's main thread"}`];
    const jobs = browserJobs(options, where, cores);
    const results: BenchResult[] = [];
    const metas: BenchMeta[] = [];
    const skips: BenchSkip[] = [];
    const missing: { peer: string; reason: string }[] = [];
    if (options.json) process.stdout.write(`${JSON.stringify({ machine, browser: header[0] })}\n`);
    for (const job of jobs) {
      const name = peerName(job);
      process.stderr.write(`bench:browser: running ${name} (${workloads.length} workloads, ${job.measure.windowS} s window each)\n`);
      let produced = 0;
      const error = await runPage(browser, `${server.url}?${jobQuery(job)}`, runnerTimeoutMs(workloads.length, job.measure.windowS), (line) => {
        const p = parseLine(line);
        if (p === null) return;
        if (options.json) process.stdout.write(`${line}\n`);
        if (p.kind === "meta") metas.push(p.meta);
        else if (p.kind === "result") {
          results.push(p.result);
          produced++;
          process.stderr.write(`  ${p.result.peer} ${p.result.workload}: ${formatValue(p.result.value)} ${p.result.metric} (${p.result.steps ?? "?"} steps)\n`);
        } else {
          skips.push(p.skip);
          produced++;
          process.stderr.write(`  ${p.skip.peer} ${p.skip.workload}: failed: ${p.skip.error}\n`);
        }
      });
      if (error !== null) {
        process.stderr.write(`bench:browser: ${name} ${error}\n`);
        missing.push({ peer: name, reason: `${produced === 0 ? "not run" : "stopped early"}: ${error}` });
      }
    }
    if (options.json) for (const m of missing) process.stdout.write(`${JSON.stringify({ peer: m.peer, missing: m.reason })}\n`);
    else process.stdout.write(`${renderTable({ machine, workloads, results, metas, skips, missing, header, columns: browserColumns(jobs) })}\n`);
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(site, { recursive: true, force: true });
  }
}

/** navigator.hardwareConcurrency as the benchmark's pages see it. */
async function hardwareConcurrency(browser: Browser): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(() => navigator.hardwareConcurrency);
  } finally {
    await page.close();
  }
}

/**
 * Runs one job in a fresh page (its own browser context) and resolves with null once the page
 * reports done, or with why it did not (an error on the page, a crash, the time limit).
 */
async function runPage(browser: Browser, url: string, timeoutMs: number, onLine: (line: string) => void): Promise<string | null> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    return await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve("timed out and was stopped"), timeoutMs);
      const finish = (error: string | null): void => {
        clearTimeout(timer);
        resolve(error);
      };
      page.on("pageerror", (e) => finish(`page error: ${e.message}`));
      page.on("crash", () => finish("the page crashed"));
      void (async () => {
        await page.exposeFunction("benchLine", onLine);
        await page.exposeFunction("benchDone", (error: string | null) => finish(error));
        await page.goto(url);
      })().catch((e: unknown) => finish(e instanceof Error ? e.message : String(e)));
    });
  } finally {
    await context.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
