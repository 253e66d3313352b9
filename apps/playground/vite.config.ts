/**
 * The playground's build. The library is bundled from the repository's TypeScript sources (the
 * "recurrent" alias), so no build of dist/ is needed. The dev server and `vite preview` send the
 * two cross-origin isolation headers: with them the page may use SharedArrayBuffer, and the wasm
 * backend runs its kernels on several threads; without them it runs on one.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** Cross-origin isolation: the condition for SharedArrayBuffer, hence for wasm threads. */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
} as const;

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "./",
  resolve: { alias: { recurrent: here("../../src/index.ts") } },
  server: { headers: ISOLATION_HEADERS, host: "127.0.0.1", fs: { allow: [here("../..")] } },
  preview: { headers: ISOLATION_HEADERS, host: "127.0.0.1" },
  worker: { format: "es" },
  build: { outDir: here("dist"), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 4096 },
});
