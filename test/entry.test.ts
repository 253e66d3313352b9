// The main entry must load in a browser: nothing it imports, directly or not, may use node: modules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?from\s+"([^"]+)"/gms)) out.push(m[1]!);
  return out;
}

function closure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const specs = importsOf(file);
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith(".")) stack.push(resolve(dirname(file), s.replace(/\.js$/, ".ts")));
  }
  return seen;
}

test("src/index.ts reaches no node: module; src/node.ts does", () => {
  const main = closure(join(src, "index.ts"));
  const offenders = [...main].filter(([, specs]) => specs.some((s) => s.startsWith("node:"))).map(([f]) => f.slice(src.length + 1));
  assert.deepEqual(offenders, []);
  assert.ok(main.size > 40, `walked ${main.size} files`);
  const node = closure(join(src, "node.ts"));
  assert.ok([...node.values()].some((specs) => specs.includes("node:fs")), "the node entry should include the file-system parts");
});
