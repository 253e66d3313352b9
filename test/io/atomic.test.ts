import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { readFileChecked, writeFileAtomic, writeFileAtomicSync } from "../../src/io/atomic.js";

function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), "recurrent-atomic-"));
}

function oneLineError(pattern: RegExp): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof Error);
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes("\n"), `one line: ${err.message}`);
    return true;
  };
}

type Writer = (path: string, data: Uint8Array | string) => Promise<void>;
const WRITERS: [string, Writer][] = [
  ["writeFileAtomic", writeFileAtomic],
  ["writeFileAtomicSync", async (path, data) => writeFileAtomicSync(path, data)],
];

for (const [label, write] of WRITERS) {
  test(`${label}: creates a file, then replaces a longer one completely`, async () => {
    const dir = scratchDir();
    try {
      const target = join(dir, "model.safetensors");
      await write(target, new Uint8Array(1000).fill(7));
      assert.deepEqual(new Uint8Array(readFileSync(target)), new Uint8Array(1000).fill(7));
      await write(target, new Uint8Array([1, 2, 3]));
      assert.deepEqual(new Uint8Array(readFileSync(target)), new Uint8Array([1, 2, 3]));
      await write(target, "héllo\n");
      assert.equal(readFileSync(target, "utf8"), "héllo\n");
      assert.deepEqual(readdirSync(dir), ["model.safetensors"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${label}: a missing directory fails with a one-line error and leaves nothing behind`, async () => {
    const dir = scratchDir();
    try {
      const target = join(dir, "nope", "model.safetensors");
      await assert.rejects(write(target, "x"), oneLineError(new RegExp(`^${label.replace("Sync", "")}: cannot write .*model\\.safetensors: no such directory .*nope$`)));
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${label}: a failure after the temp file exists removes it and keeps the old file`, async () => {
    const dir = scratchDir();
    try {
      const target = join(dir, "model.safetensors");
      writeFileSync(target, "old contents");
      // @ts-expect-error: a number is not writable data, so the write fails after the temp file was created
      await assert.rejects(write(target, 42), oneLineError(/cannot write .*model\.safetensors/));
      assert.equal(readFileSync(target, "utf8"), "old contents");
      assert.deepEqual(readdirSync(dir), ["model.safetensors"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${label}: a failing rename (target is a directory) removes the temp file and keeps the directory`, async () => {
    const dir = scratchDir();
    try {
      const target = join(dir, "ckpt");
      mkdirSync(target);
      writeFileSync(join(target, "inside"), "keep me");
      await assert.rejects(write(target, "data"), oneLineError(/cannot write .*ckpt: /));
      assert.deepEqual(readdirSync(dir), ["ckpt"]);
      assert.equal(readFileSync(join(target, "inside"), "utf8"), "keep me");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("writeFileAtomic: concurrent writers to one path leave one complete version and no temp files", async () => {
  const dir = scratchDir();
  try {
    const target = join(dir, "state.json");
    const versions = Array.from({ length: 8 }, (_, i) => String(i).repeat(10_000 + i));
    await Promise.all(versions.map((v) => writeFileAtomic(target, v)));
    assert.ok(versions.includes(readFileSync(target, "utf8")));
    assert.deepEqual(readdirSync(dir), ["state.json"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readFileChecked: returns the bytes as a Uint8Array", () => {
  const dir = scratchDir();
  try {
    const p = join(dir, "a.bin");
    writeFileSync(p, new Uint8Array([9, 8, 7]));
    const bytes = readFileChecked(p, "checkpoint");
    assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
    assert.deepEqual(Array.from(bytes), [9, 8, 7]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readFileChecked: missing file, directory and bad parent give one-line errors", () => {
  const dir = scratchDir();
  try {
    const missing = join(dir, "model.safetensors");
    assert.throws(() => readFileChecked(missing, "checkpoint"), oneLineError(/^cannot read checkpoint .*model\.safetensors: no such file$/));
    assert.throws(() => readFileChecked(dir, "checkpoint"), oneLineError(/^cannot read checkpoint .*: is a directory$/));
    const file = join(dir, "f");
    writeFileSync(file, "x");
    assert.throws(() => readFileChecked(join(file, "child"), "vocab"), oneLineError(/^cannot read vocab .*child: a parent of .* is not a directory$/));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Root reads any file whatever its mode, so the check only means something for other users.
test("readFileChecked: unreadable file gives 'permission denied'", () => {
  const dir = scratchDir();
  try {
    chmodSync(dir, 0o755);
    const p = join(dir, "secret.bin");
    writeFileSync(p, "x");
    chmodSync(p, 0o000);
    const check = (message: string): void => assert.match(message, /^cannot read checkpoint .*secret\.bin: permission denied$/);
    if (process.getuid?.() !== 0) {
      assert.throws(() => readFileChecked(p, "checkpoint"), oneLineError(/^cannot read checkpoint .*secret\.bin: permission denied$/));
      return;
    }
    // Root reads any file, so the check runs in a child process as the unprivileged user "nobody".
    // That user may not be able to enter the checkout (a clone inside a 0700 folder), so the
    // child gets atomic.ts transpiled into the scratch folder; it imports only node: modules.
    const source = readFileSync(fileURLToPath(new URL("../../src/io/atomic.ts", import.meta.url)), "utf8");
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(dir, "atomic.mjs"), js);
    const code = `import { readFileChecked } from ${JSON.stringify(join(dir, "atomic.mjs"))}; try { readFileChecked(${JSON.stringify(p)}, "checkpoint"); console.log("no error"); } catch (e) { console.log(e.message); }`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: dir, uid: 65534, gid: 65534, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    check(r.stdout.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
