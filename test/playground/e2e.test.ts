// The playground end to end in a real browser (Debian's chromium, driven by playwright-core):
// build the site, serve it cross-origin isolated, train the language model, trace its gates,
// reload a checkpoint from browser storage, drop in a run folder made by the library's CLI
// code and continue it, download a run and load it back in Node, run an experiment; with no
// page or console error, and the page's frames kept flowing while training; every cell is offered
// and an untrained layer-norm LSTM's gates show on a fresh page. Screenshots of
// each page go to .tmp/playground/ (not committed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import type { Page } from "playwright-core";
import { build } from "vite";
import { loadCharLM, resolveCharLMConfig, sha256Hex, trainCharLM } from "../../src/node.js";
import { serveIsolated } from "../../scripts/serve-isolated.mjs";
import { CHROMIUM_PATH as CHROMIUM, launchChromium } from "../../scripts/chromium.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHOTS = join(root, ".tmp", "playground");

/** A run folder exactly as `recurrent train charlm` writes it, tiny. */
async function cliRun(dir: string): Promise<void> {
  const textPath = join(root, "data", "timemachine.txt");
  const text = readFileSync(textPath, "utf8");
  const config = resolveCharLMConfig({ hiddenSize: 8, numEpochs: 2, maxTokens: 2000, batchSize: 8, numSteps: 10, checkpointEvery: 1, textPath, textSha256: sha256Hex(new TextEncoder().encode(text)) });
  await trainCharLM({ config, text, runDir: dir });
}

async function setNumber(page: Page, name: string, value: number): Promise<void> {
  await page.locator(`#page-lm input[name="${name}"]`).fill(String(value));
}

async function waitIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => document.getElementById("lm-status")?.textContent === "idle", undefined, { timeout });
}

test("the playground trains, traces, saves, reloads, imports and exports in Chromium", async () => {
  assert.ok(existsSync(CHROMIUM), `no browser at ${CHROMIUM}: install Debian's chromium (see DEVELOPERS.md) or set CHROMIUM`);
  const scratch = mkdtempSync(join(tmpdir(), "recurrent-playground-"));
  mkdirSync(SHOTS, { recursive: true });
  const outDir = join(scratch, "site");
  await build({ configFile: join(root, "apps", "playground", "vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
  const runDir = join(scratch, "cli-run");
  await cliRun(runDir);
  const server = await serveIsolated(outDir);
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));

    await page.goto(`${server.url}?threads=2#lm`);
    await page.waitForSelector("text=/Ready: wasm backend on/", { timeout: 30_000 });
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, "the served page is cross-origin isolated");
    const ready = (await page.locator("#page-lm .message").textContent()) ?? "";
    const threads = Number(/on (\d+) thread/.exec(ready)?.[1]);
    assert.ok(threads > 1, `threads are used when isolated: ${ready}`);

    // A small LSTM, a few epochs; frames are timed on the page's thread while it trains.
    await setNumber(page, "hidden size", 32);
    await setNumber(page, "epochs", 6);
    await setNumber(page, "characters", 4000);
    await setNumber(page, "batch size", 16);
    await setNumber(page, "time steps", 16);
    await setNumber(page, "checkpoint every", 2);
    // A string, not a function: the test's TypeScript transform would add helpers the page lacks.
    await page.evaluate(`(() => {
      window.frameGaps = [];
      window.timing = true;
      let last = performance.now();
      const tick = (now) => { window.frameGaps.push(now - last); last = now; if (window.timing) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    await page.click("#lm-start");
    await page.waitForFunction(() => document.getElementById("lm-status")?.textContent === "training");
    await waitIdle(page, 120_000);
    const gaps = (await page.evaluate("window.timing = false, window.frameGaps.slice(1)")) as number[];
    gaps.sort((a, b) => a - b);
    const p95 = gaps[Math.floor(gaps.length * 0.95)] ?? Infinity;
    console.log(`frames while training: ${gaps.length}, median gap ${gaps[gaps.length >> 1]?.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${gaps[gaps.length - 1]?.toFixed(1)} ms`);
    assert.ok(gaps.length > 20, `the page kept drawing frames while training (${gaps.length})`);
    assert.ok(p95 < 200, `95% of frame gaps under 200 ms while training, got ${p95.toFixed(1)} ms`);

    const ppl = JSON.parse((await page.locator("#lm-plot").getAttribute("data-perplexities")) ?? "[]") as number[];
    assert.equal(ppl.length, 6);
    assert.ok(ppl[5]! < ppl[0]!, `perplexity falls: ${ppl.map((p) => p.toFixed(2)).join(", ")}`);
    const sample = (await page.locator("#lm-sample").textContent()) ?? "";
    assert.match(sample, /epoch 6, temperature 0\.80:\ntime traveller .{20,}/s);
    assert.ok((await page.locator("#lm-plot svg").count()) === 1, "the perplexity curve is drawn");
    await page.screenshot({ path: join(SHOTS, "lm.png") });

    // Inside the cell: the trained LSTM's gates for a typed text.
    await page.click('nav a[data-page="inside"]');
    await page.fill("#inside-text", "the time machine");
    await page.click("#inside-trace");
    await page.waitForSelector('#inside-heatmaps canvas[data-gate="c"]');
    assert.deepEqual(await page.locator("#inside-heatmaps canvas").evaluateAll((cs) => cs.map((c) => c.getAttribute("data-gate"))), ["i", "f", "g", "o", "c", "h"]);
    assert.equal(await page.locator("#inside-chars span").count(), "the time machine".length);
    await page.locator('#inside-heatmaps canvas[data-gate="h"]').click({ position: { x: 3.5 * 14, y: 4.5 * 14 } }); // 14 px cells for 16 characters
    assert.match((await page.locator("#inside-equations").textContent()) ?? "", /unit 4, step 3 .*\nc' = f ⊙ c \+ i ⊙ g = /s);
    assert.doesNotMatch((await page.locator("#page-inside .message").textContent()) ?? "", /untrained/);
    await page.keyboard.press("ArrowDown");
    assert.match((await page.locator("#inside-equations").textContent()) ?? "", /^unit 5, step 3 /);
    await page.evaluate("scrollTo(0, 0)");
    await page.screenshot({ path: join(SHOTS, "inside.png") });

    // The run is kept in the browser: reload the page and open it at its final checkpoint.
    await page.click('nav a[data-page="lm"]');
    await page.reload();
    await page.waitForSelector("text=/Ready: wasm backend on/");
    await page.waitForFunction(() => (document.getElementById("lm-runs") as HTMLSelectElement | null)?.options.length === 1);
    await page.click("#lm-open");
    await page.waitForSelector("text=/opened run-.* at epoch 6 \\(final.json\\)/");
    const reopened = JSON.parse((await page.locator("#lm-plot").getAttribute("data-perplexities")) ?? "[]") as number[];
    assert.deepEqual(reopened, ppl, "the reopened run has the same history");

    // A run folder made by the CLI's code: dropped in, opened, continued one epoch.
    await page.setInputFiles("#lm-folder", runDir);
    await page.waitForSelector("text=/opened import-.* at epoch 2 \\(final.json\\)/");
    await page.fill("#lm-more", "3");
    await page.click("#lm-continue");
    await page.waitForFunction(() => document.getElementById("lm-status")?.textContent === "training");
    await waitIdle(page);
    assert.equal(await page.locator("#lm-epoch").textContent(), "3");

    // Download it and load it with the library in Node, as `recurrent generate` would.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#lm-download")]);
    const zipPath = join(scratch, "run.zip");
    await download.saveAs(zipPath);
    const files = unzipSync(readFileSync(zipPath));
    const back = join(scratch, "back");
    for (const [name, bytes] of Object.entries(files)) {
      const path = join(back, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
    }
    const [folder] = Object.keys(files)[0]!.split("/");
    const loaded = loadCharLM(join(back, folder!));
    assert.equal(loaded.checkpoint.meta.epoch, 3);
    assert.equal(loaded.config.hiddenSize, 8);
    assert.equal(loaded.unfinished, false);
    await page.screenshot({ path: join(SHOTS, "lm-runs.png") });

    // Experiments, each briefly: highway depth, the adding problem, CO2 forecasting.
    await page.click('nav a[data-page="experiments"]');
    await page.fill('#experiment-highway input[name="depth"]', "10");
    await page.fill('#experiment-highway input[name="epochs"]', "1");
    await page.click("#highway-run");
    await page.waitForSelector("#highway-message >> text=/Done after/", { timeout: 90_000 });
    assert.match((await page.locator("#highway-message").textContent()) ?? "", /training loss after 1 epoch at depth 10: plain \d\.\d+, highway \d\.\d+/);
    await page.fill('#experiment-memory input[name="sequence length T"]', "10");
    await page.fill('#experiment-memory input[name="epochs"]', "1");
    await page.click("#memory-run");
    await page.waitForSelector("#memory-message >> text=/Done after/", { timeout: 90_000 });
    assert.equal(await page.locator("#memory-loss svg").count(), 1);
    assert.equal(await page.locator("#memory-grad svg").count(), 1);
    await page.fill('#experiment-forecast input[name="epochs"]', "2");
    await page.click("#forecast-run");
    await page.waitForSelector("#forecast-message >> text=/Done after/", { timeout: 90_000 });
    assert.match((await page.locator("#forecast-message").textContent()) ?? "", /LSTM recursive \d+\.\d+, direct \d+\.\d+; seasonal naive \+ drift \d+\.\d+/);
    assert.equal(await page.locator("#forecast-plot svg").count(), 1);
    await page.evaluate("scrollTo(0, 0)");
    await page.screenshot({ path: join(SHOTS, "experiments.png") });

    // A phone-sized screen: no sideways scrolling of the page itself.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click('nav a[data-page="lm"]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page fits a 390 px screen (overflows by ${overflow} px)`);
    await page.screenshot({ path: join(SHOTS, "lm-phone.png"), fullPage: false });

    // Every cell of the char LM is offered; on a fresh page (no run yet) an untrained layer-norm
    // LSTM shows its gates i, f, g, o, c, h and its own equations.
    const fresh = await context.newPage();
    fresh.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    fresh.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    await fresh.goto(`${server.url}#lm`);
    const cellSelect = fresh.locator('#page-lm select[name="cell"]');
    assert.deepEqual(await cellSelect.locator("option").evaluateAll((os) => os.map((o) => o.getAttribute("value"))), ["rnn", "gru", "lstm", "peephole_lstm", "layernorm_lstm"]);
    await cellSelect.selectOption("layernorm_lstm");
    await setNumber(fresh, "hidden size", 16);
    await fresh.click('nav a[data-page="inside"]');
    await fresh.fill("#inside-text", "the time");
    await fresh.click("#inside-trace");
    await fresh.waitForSelector('#inside-heatmaps canvas[data-gate="c"]');
    assert.deepEqual(await fresh.locator("#inside-heatmaps canvas").evaluateAll((cs) => cs.map((c) => c.getAttribute("data-gate"))), ["i", "f", "g", "o", "c", "h"]);
    assert.match((await fresh.locator("#page-inside .message").textContent()) ?? "", /^Layer-norm LSTM, 16 units.*untrained/);
    assert.match((await fresh.locator("#inside-equations").textContent()) ?? "", /Layer-norm LSTM:\n.*c' = LN_c\(f ⊙ c \+ i ⊙ g\)/s);
    await fresh.close();

    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
});
