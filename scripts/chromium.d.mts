/** Types of chromium.mjs, for the TypeScript tests and benchmarks that start the browser. */
import type { Browser } from "playwright-core";
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_FLAGS: readonly string[];
export declare function launchChromium(): Promise<Browser>;
