// readFileChecked reads only regular files, within a size limit: /dev/zero, a FIFO (directly or
// through a symlink) and an oversized file are refused at once, with the path, size and limit named.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEFAULT_MAX_READ_BYTES, readFileChecked } from "../../src/io/atomic.js";

const ATOMIC = pathToFileURL(fileURLToPath(new URL("../../src/io/atomic.ts", import.meta.url))).href;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "recurrent-read-"));
}

test("a file over the limit is refused before reading, naming path, size and limit", () => {
  const dir = scratch();
  try {
    const p = join(dir, "big.bin");
    writeFileSync(p, new Uint8Array(1000));
    assert.throws(() => readFileChecked(p, "checkpoint weights", { maxBytes: 999 }), {
      message: `cannot read checkpoint weights ${p}: the file is 1000 bytes, more than the limit of 999 bytes`,
    });
    assert.equal(readFileChecked(p, "checkpoint weights", { maxBytes: 1000 }).length, 1000);
    assert.equal(readFileChecked(p, "checkpoint weights").length, 1000);
    assert.equal(DEFAULT_MAX_READ_BYTES, 2 ** 30);
    writeFileSync(join(dir, "empty"), "");
    assert.equal(readFileChecked(join(dir, "empty"), "text file", { maxBytes: 0 }).length, 0);
    assert.throws(() => readFileChecked(p, "x", { maxBytes: -1 }), /readFileChecked: maxBytes must be a non-negative integer, got -1/);
    assert.throws(() => readFileChecked("", "text file"), /cannot read text file: the path must be a non-empty string/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("files that report size 0 but have content (/proc) are read, within the limit", () => {
  const text = new TextDecoder().decode(readFileChecked("/proc/self/status", "status"));
  assert.match(text, /^Name:/);
  assert.throws(() => readFileChecked("/proc/self/status", "status", { maxBytes: 10 }), /the file grew past the limit of 10 bytes while it was read/);
});

// Run in a child process with a deadline: before the fix these reads never returned (a FIFO
// without a writer blocks in open; /dev/zero grows memory until the process aborts).
test("/dev/zero, a FIFO, and both through symlinks are refused at once, without hanging", () => {
  const dir = scratch();
  try {
    const fifo = join(dir, "fifo");
    assert.equal(spawnSync("mkfifo", [fifo]).status, 0, "mkfifo");
    symlinkSync("/dev/zero", join(dir, "zero-link"));
    symlinkSync(fifo, join(dir, "fifo-link"));
    symlinkSync(dir, join(dir, "dir-link"));
    const cases = ["/dev/zero", fifo, join(dir, "zero-link"), join(dir, "fifo-link"), join(dir, "dir-link")];
    const code = [
      `const { readFileChecked } = await import(${JSON.stringify(ATOMIC)});`,
      `for (const p of ${JSON.stringify(cases)}) {`,
      "  try { readFileChecked(p, 'weights'); console.log('READ ' + p); } catch (e) { console.log(e.message); }",
      "}",
    ].join("\n");
    const started = Date.now();
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", timeout: 20_000 });
    assert.equal(r.status, 0, `child: status ${r.status}, signal ${r.signal}, stderr ${r.stderr}`);
    assert.ok(Date.now() - started < 20_000);
    const lines = r.stdout.trim().split("\n");
    assert.deepEqual(lines, [
      "cannot read weights /dev/zero: is a character device, not a regular file",
      `cannot read weights ${fifo}: is a FIFO (named pipe), not a regular file`,
      `cannot read weights ${join(dir, "zero-link")}: is a character device, not a regular file`,
      `cannot read weights ${join(dir, "fifo-link")}: is a FIFO (named pipe), not a regular file`,
      `cannot read weights ${join(dir, "dir-link")}: is a directory`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
