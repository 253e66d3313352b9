// The headless Chromium the browser tests and benchmarks run: Debian's `chromium` (or $CHROMIUM),
// launched by playwright-core with DEVELOPERS.md's flags (playwright adds --headless itself).
import { chromium } from "playwright-core";

/** Where the browser is: $CHROMIUM, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** The launch flags: no sandbox (containers), no GPU, nothing fetched or synced in the background. */
export const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Starts the browser headless with those flags. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}
