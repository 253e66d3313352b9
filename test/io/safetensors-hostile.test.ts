// parseSafetensors against hostile files: deep nesting, huge names, reserved names, too many
// tensors. Every failure is a SafetensorsError with a message of bounded length.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSafetensors, serializeSafetensors, SafetensorsError, MAX_TENSORS } from "../../src/io/safetensors.js";

/** A file made of a raw header text and `data` bytes. */
function file(header: string, data = new Uint8Array(0)): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function refused(bytes: Uint8Array, pattern: RegExp, maxLength = 400): void {
  assert.throws(
    () => parseSafetensors(bytes, "m.safetensors"),
    (err: unknown) => {
      assert.ok(err instanceof SafetensorsError, `a SafetensorsError, got ${String(err)}`);
      assert.match(err.message, pattern);
      assert.ok(err.message.length <= maxLength, `message of ${err.message.length} characters`);
      return true;
    },
  );
}

test("deeply nested headers are refused before parsing (they crashed JSON.stringify in a message)", () => {
  const deep = 200_000;
  refused(file(`{"w":{"dtype":"F32","shape":${"[".repeat(deep)}${"]".repeat(deep)},"data_offsets":[0,0]}}`), /header nests more than 8 levels/);
  refused(file(`{"__metadata__":${"{\"a\":".repeat(50)}1${"}".repeat(50)}}`), /header nests more than 8 levels/);
  // Brackets inside strings do not count.
  const ok = parseSafetensors(file(`{"__metadata__":{"note":"[[[[[[[[[[{{{{{{{{{{"}}`));
  assert.equal(ok.metadata["note"], "[[[[[[[[[[{{{{{{{{{{");
  // A moderately nested value in a field is described shortly, without recursion into it.
  refused(file(`{"w":{"dtype":"F32","shape":[[[[1]]]],"data_offsets":[0,4]}}`, new Uint8Array(4)), /shape must be an array of non-negative integers, got array \[\[\.\.\.\]\]/);
});

test("attacker-sized strings are cut in messages (5 MB names used to be quoted whole)", () => {
  const long = "n".repeat(5_000_000);
  refused(file(`{"${long}":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, new Uint8Array(4)), /tensor name "n{80}\.\.\." is 5000000 characters long, more than 1024/);
  refused(file(`{"w":{"dtype":"${long}","shape":[1],"data_offsets":[0,4]}}`, new Uint8Array(4)), /unsupported dtype string "n{80}\.\.\."/);
  refused(file(`{"w":{"dtype":"F32","shape":[${"1,".repeat(1_000_000)}1],"data_offsets":[0,4]}}`, new Uint8Array(4)), /shape has 1000001 dims, more than 64/);
  refused(file(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":"${long}"}} ${long}`), /header is not valid JSON/);
  refused(file(`{"__metadata__":{"k":["${long}"]}}`), /metadata "k" must be a string, got array \["n{80}\.\.\."\]/);
});

test("__proto__, constructor and other Object.prototype names are refused, in files and when writing", () => {
  for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "prototype"]) {
    refused(file(`{"${name}":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, new Uint8Array(4)), new RegExp(`tensor name "${name}" is reserved`));
    const t = { dtype: "F32" as const, shape: [1], data: new Float32Array(1) };
    const tensors: Record<string, typeof t> = {};
    Object.defineProperty(tensors, name, { value: t, enumerable: true });
    assert.throws(() => serializeSafetensors(tensors), new RegExp(`serializeSafetensors: tensor "${name}": the name is reserved`));
  }
  refused(file(`{"__metadata__":{"__proto__":"x"}}`), /metadata key "__proto__" is reserved/);
  refused(file(`{"a\\u0000b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, new Uint8Array(4)), /contains a control character/);
  refused(file(`{"\\ud800":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, new Uint8Array(4)), /contains a lone UTF-16 surrogate/);
  refused(file(`{"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, new Uint8Array(4)), /tensor name "" is empty/);
  const parsed = parseSafetensors(file(`{"weight.__proto__x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, new Uint8Array(4)));
  assert.deepEqual(Object.keys(parsed.tensors), ["weight.__proto__x"]);
  assert.equal(Object.getPrototypeOf(parsed.tensors), Object.prototype);
});

test("tensor count is bounded; offsets are checked before anything is allocated", () => {
  const entries: string[] = [];
  for (let i = 0; i <= MAX_TENSORS; i++) entries.push(`"t${i}":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}`);
  refused(file(`{${entries.join(",")}}`), /header lists 100001 tensors, more than the limit of 100000/);
  // 2^40 elements claimed, 4 bytes present: refused by the offsets check, no 4 TiB allocation.
  refused(file(`{"w":{"dtype":"F32","shape":[1099511627776],"data_offsets":[0,4398046511104]}}`, new Uint8Array(4)), /truncated file: header says the data is 4398046511104 bytes but only 4 follow/);
  refused(file(`{"w":{"dtype":"F64","shape":[9007199254740991, 2],"data_offsets":[0,8]}}`, new Uint8Array(8)), /shape \[9007199254740991,2\] is too large/);
});

test("non-string, non-object header values are described without dumping them", () => {
  refused(file(`[${"1,".repeat(100_000)}1]`), /header must be a JSON object, got array \[1, 1, .*\.\.\.\] \(length 100001\)/);
  refused(file(`{"w":${"1".repeat(10_000)}}`), /entry must be an object with dtype, shape and data_offsets, got number Infinity/);
});
