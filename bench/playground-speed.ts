// Training speed of the default char LM (LSTM, 256 hidden, batch 32, 35 steps, SGD, first 10,000
// characters of The Time Machine) in headless Chromium, on one wasm thread and on several, next
// to Node on the wasm backend. Median tokens/s over epochs 2..N (epoch 1 includes warm-up).
//   node --conditions=source --import tsx bench/playground-speed.ts [epochs=4] [threads=2]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { createWasmBackend, resolveCharLMConfig, setBackend, sha256Hex, trainCharLM } from "../src/node.js";
import { serveIsolated } from "../scripts/serve-isolated.mjs";
import { launchChromium } from "../scripts/chromium.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const epochs = Number(process.argv[2] ?? 4);
const threads = Number(process.argv[3] ?? 2);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

const scratch = mkdtempSync(join(tmpdir(), "recurrent-speed-"));
const rows: [string, number][] = [];
// Node first: a browser still closing down would take its cores.
for (const t of [1, threads]) {
  const backend = createWasmBackend({ threads: t });
  setBackend(backend);
  const textPath = join(root, "data", "timemachine.txt");
  const text = readFileSync(textPath, "utf8");
  const config = resolveCharLMConfig({ numEpochs: epochs, textPath, textSha256: sha256Hex(new TextEncoder().encode(text)) });
  const run = await trainCharLM({ config, text, runDir: join(scratch, `node-${t}`) });
  rows.push([`Node ${process.versions.node}, ${t} thread${t === 1 ? "" : "s"}`, median(run.metrics.slice(1).map((m) => m.tokensPerSecond))]);
  backend.dispose();
}
const site = join(scratch, "site");
await build({ configFile: join(root, "apps", "playground", "vite.config.ts"), logLevel: "warn", build: { outDir: site, emptyOutDir: true } });
const server = await serveIsolated(site);
const browser = await launchChromium();
try {
  for (const t of [1, threads]) {
    const page = await browser.newPage();
    await page.goto(`${server.url}?threads=${t}#lm`);
    await page.waitForSelector("text=/Ready: wasm backend on/");
    await page.locator('#page-lm input[name="epochs"]').fill(String(epochs));
    await page.click("#lm-start");
    await page.waitForFunction(`JSON.parse(document.getElementById("lm-plot").dataset.speeds || "[]").length >= ${epochs}`, undefined, { timeout: 600_000 });
    const speeds = JSON.parse((await page.locator("#lm-plot").getAttribute("data-speeds")) ?? "[]") as number[];
    rows.push([`Chromium, ${t} thread${t === 1 ? "" : "s"}`, median(speeds.slice(1))]);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
rmSync(scratch, { recursive: true, force: true });
for (const [name, v] of rows) console.log(`${name.padEnd(28)} ${Math.round(v).toLocaleString("en")} tokens/s`);
