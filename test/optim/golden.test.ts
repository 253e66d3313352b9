// Every optimiser and clipping fixture made by tools/gen_optim_fixtures.py (PyTorch 1.13),
// every step, within 1e-6 absolute + 1e-5 relative.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Adam, AdamW, RMSprop, SGD, clipGradNorm, type Optimizer, type ParamLike } from "../../src/optim/index.js";

const dir = new URL("../fixtures/optim/", import.meta.url);
const ATOL = 1e-6;
const RTOL = 1e-5;

type Json = Record<string, unknown>;

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, dir), "utf8"));
}

function obj(v: unknown, what: string): Json {
  assert.ok(v !== null && typeof v === "object" && !Array.isArray(v), `${what} must be an object`);
  return Object.fromEntries(Object.entries(v));
}

function list(v: unknown, what: string): unknown[] {
  assert.ok(Array.isArray(v), `${what} must be an array`);
  return v;
}

function num(o: Json, key: string): number {
  const v = o[key];
  assert.equal(typeof v, "number", `${key} must be a number`);
  return Number(v);
}

function bool(o: Json, key: string): boolean {
  const v = o[key];
  assert.equal(typeof v, "boolean", `${key} must be a boolean`);
  return v === true;
}

function pair(o: Json, key: string): [number, number] {
  const v = list(o[key], key);
  assert.equal(v.length, 2, `${key} must have two entries`);
  return [Number(v[0]), Number(v[1])];
}

/** {"shape", "data"} with null standing for a non-finite value. */
function tensor(v: unknown, what: string): { shape: number[]; data: Float32Array } {
  const t = obj(v, what);
  const shape = list(t.shape, `${what}.shape`).map(Number);
  const data = Float32Array.from(list(t.data, `${what}.data`), (x) => (x === null ? NaN : Number(x)));
  return { shape, data };
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) {
      assert.fail(`${what}[${i}]: got ${a}, PyTorch has ${e} (difference ${Math.abs(a - e)})`);
    }
  }
}

function makeOptimizer(kind: string, params: ParamLike[], o: Json): Optimizer {
  switch (kind) {
    case "SGD":
      return new SGD(params, {
        lr: num(o, "lr"),
        momentum: num(o, "momentum"),
        dampening: num(o, "dampening"),
        weightDecay: num(o, "weightDecay"),
        nesterov: bool(o, "nesterov"),
      });
    case "Adam":
    case "AdamW": {
      const options = {
        lr: num(o, "lr"),
        betas: pair(o, "betas"),
        eps: num(o, "eps"),
        weightDecay: num(o, "weightDecay"),
        amsgrad: bool(o, "amsgrad"),
      };
      return kind === "Adam" ? new Adam(params, options) : new AdamW(params, options);
    }
    case "RMSprop":
      return new RMSprop(params, {
        lr: num(o, "lr"),
        alpha: num(o, "alpha"),
        eps: num(o, "eps"),
        weightDecay: num(o, "weightDecay"),
        momentum: num(o, "momentum"),
        centered: bool(o, "centered"),
      });
    default:
      throw new Error(`unknown optimizer ${kind} in fixture`);
  }
}

function runOptimizerFixture(name: string, fx: Json): void {
  const init = tensor(fx.init, `${name}.init`);
  const grads = list(fx.grads, `${name}.grads`).map((g, k) => tensor(g, `${name}.grads[${k}]`));
  const expected = list(fx.params, `${name}.params`).map((p, k) => tensor(p, `${name}.params[${k}]`));
  assert.equal(grads.length, expected.length, `${name}: one expected parameter per gradient`);
  assert.ok(grads.length > 0, `${name}: no steps`);

  const param: ParamLike = { shape: init.shape, data: init.data.slice(), grad: null };
  const data = param.data;
  const opt = makeOptimizer(String(fx.optimizer), [param], obj(fx.options, `${name}.options`));
  grads.forEach((g, k) => {
    opt.zeroGrad();
    param.grad = { data: g.data.slice() };
    opt.step();
    assertClose(param.data, expected[k].data, `${name} after step ${k + 1}`);
  });
  assert.equal(param.data, data, `${name}: data was reallocated`);
}

function runClipFixture(name: string, fx: Json): void {
  const o = obj(fx.options, `${name}.options`);
  const before = list(fx.gradsBefore, `${name}.gradsBefore`).map((g, k) => tensor(g, `${name}.gradsBefore[${k}]`));
  const after = list(fx.gradsAfter, `${name}.gradsAfter`).map((g, k) => tensor(g, `${name}.gradsAfter[${k}]`));
  const params = before.map((g) => ({ grad: { data: g.data.slice() } }));
  const total = clipGradNorm(params, num(o, "maxNorm"), num(o, "normType"));
  const expectedTotal = num(fx, "totalNorm");
  assert.ok(
    Math.abs(total - expectedTotal) <= ATOL + RTOL * Math.abs(expectedTotal),
    `${name}: total norm ${total}, PyTorch has ${expectedTotal}`,
  );
  params.forEach((p, k) => assertClose(p.grad.data, after[k].data, `${name} grad ${k}`));
}

const names = list(readJson("index.json"), "index.json").map(String);

test("optim fixtures: the index lists optimiser and clipping cases", () => {
  const kinds = new Set(
    names.map((n) => {
      const fx = obj(readJson(`${n}.json`), n);
      return String(fx.optimizer ?? fx.function);
    }),
  );
  for (const k of ["SGD", "Adam", "AdamW", "RMSprop", "clip_grad_norm_"]) assert.ok(kinds.has(k), `no fixture for ${k}`);
});

for (const name of names) {
  test(`optim fixture ${name} matches PyTorch`, () => {
    const fx = obj(readJson(`${name}.json`), name);
    if (typeof fx.optimizer === "string") runOptimizerFixture(name, fx);
    else if (fx.function === "clip_grad_norm_") runClipFixture(name, fx);
    else assert.fail(`${name}: neither an optimizer nor a clip_grad_norm_ fixture`);
  });
}
