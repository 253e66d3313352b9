/**
 * Whether a module is the script Node was started with. The runners (bench/ours.ts,
 * bench/peers/tfjs.ts) run their main() only then, so that the browser benchmark's page can import
 * their model code without starting a Node runner. Browser-safe: false where there is no `process`.
 */
export function isEntryModule(moduleUrl: string, argv1: string | undefined = typeof process === "object" ? process.argv?.[1] : undefined): boolean {
  if (argv1 === undefined) return false;
  const url = new URL(moduleUrl);
  if (url.protocol !== "file:") return false;
  const path = decodeURIComponent(url.pathname);
  // Module URLs name the real file; argv[1] may reach it through a symbolic link.
  const fs = typeof process === "object" && typeof process.getBuiltinModule === "function" ? process.getBuiltinModule("node:fs") : undefined;
  let script = argv1;
  try {
    if (fs !== undefined) script = fs.realpathSync(argv1);
  } catch {
    // A script path that no longer resolves is not this module.
  }
  return path === script;
}
