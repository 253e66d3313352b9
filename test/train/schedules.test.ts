import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CosineAnnealingLR, ExponentialLR, ReduceLROnPlateau, StepLR, type LrScheduler } from "recurrent";

/** The lr after each of `n` steps, starting from `lr0` (index 0 is before any step). */
function trace(make: (o: { lr: number }) => LrScheduler, lr0: number, n: number, metrics: readonly number[] = []): number[] {
  const holder = { lr: lr0 };
  const s = make(holder);
  const out = [holder.lr];
  for (let e = 0; e < n; e++) {
    s.step(metrics[e]);
    out.push(holder.lr);
  }
  return out;
}

function close(got: readonly number[], want: readonly number[], tol: number): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= tol * Math.max(1, Math.abs(want[i]!)), `epoch ${i}: ${g} vs ${want[i]}`));
}

test("StepLR is PyTorch's: lr_e = lr0 · gamma^floor(e / stepSize)", () => {
  const got = trace((o) => new StepLR(o, { stepSize: 3, gamma: 0.1 }), 0.5, 10);
  close(got, got.map((_, e) => 0.5 * 0.1 ** Math.floor(e / 3)), 1e-15);
  assert.deepEqual(trace((o) => new StepLR(o, { stepSize: 2, gamma: 0.5 }), 1, 5), [1, 1, 0.5, 0.5, 0.25, 0.25]);
});

test("ExponentialLR: lr_e = lr0 · gamma^e", () => {
  const got = trace((o) => new ExponentialLR(o, { gamma: 0.9 }), 0.2, 12);
  close(got, got.map((_, e) => 0.2 * 0.9 ** e), 1e-14);
});

test("CosineAnnealingLR is PyTorch's: eta_min + (lr0 - eta_min)(1 + cos(pi e / T_max)) / 2, restarting after 2 T_max", () => {
  for (const [tMax, etaMin] of [[10, 0], [7, 0.01], [1, 0]] as const) {
    const got = trace((o) => new CosineAnnealingLR(o, { tMax, etaMin }), 0.1, 3 * tMax);
    close(got, got.map((_, e) => etaMin + ((0.1 - etaMin) * (1 + Math.cos((Math.PI * e) / tMax))) / 2), 1e-12);
  }
});

test("ReduceLROnPlateau: cuts by factor after more than patience bad epochs, honours cooldown, minLr and the threshold", () => {
  // patience 2: the 4th flat epoch is the 3rd bad one, so the lr halves after it.
  assert.deepEqual(trace((o) => new ReduceLROnPlateau(o, { patience: 2, factor: 0.5 }), 1, 8, [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]), [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
  // cooldown 2: the two epochs after a cut do not count as bad.
  assert.deepEqual(trace((o) => new ReduceLROnPlateau(o, { patience: 0, factor: 0.5, cooldown: 2 }), 1, 6, [1, 1, 1, 1, 1, 1]), [1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
  // minLr floors the cut; mode max watches a rising value.
  assert.deepEqual(trace((o) => new ReduceLROnPlateau(o, { patience: 0, factor: 0.1, minLr: 0.05, mode: "max" }), 1, 4, [1, 2, 2, 2]), [1, 1, 1, 0.1, 0.05]);
  // The relative threshold: 1 → 0.99995 is not an improvement of more than 1e-4.
  assert.deepEqual(trace((o) => new ReduceLROnPlateau(o, { patience: 0, factor: 0.5 }), 1, 2, [1, 0.99995]), [1, 1, 0.5]);
  assert.throws(() => new ReduceLROnPlateau({ lr: 1 }).step(), /ReduceLROnPlateau\.step: needs the watched value/);
  assert.throws(() => new ReduceLROnPlateau({ lr: 1 }, { factor: 1 }), /factor must be in \(0, 1\), got 1/);
});

test("a schedule's state restores it exactly, mid-run", () => {
  const a = { lr: 0.1 };
  const sa = new CosineAnnealingLR(a, { tMax: 6 });
  for (let i = 0; i < 4; i++) sa.step();
  const b = { lr: a.lr };
  const rebound = new CosineAnnealingLR(b, { tMax: 6 });
  rebound.setState(sa.getState());
  for (let i = 0; i < 5; i++) {
    sa.step();
    rebound.step();
  }
  assert.equal(b.lr, a.lr);
  assert.equal(rebound.lastEpoch, 9);
  const p = { lr: 1 };
  const plateau = new ReduceLROnPlateau(p, { patience: 1 });
  plateau.step(3);
  plateau.step(4);
  const q = { lr: 1 };
  const copy = new ReduceLROnPlateau(q, { patience: 1 });
  copy.setState(JSON.parse(JSON.stringify(plateau.getState())) as ReturnType<typeof plateau.getState>);
  plateau.step(5);
  copy.step(5);
  assert.equal(q.lr, p.lr);
  assert.equal(p.lr, 0.1);
  assert.throws(() => new StepLR({ lr: 1 }, { stepSize: 0 }), /StepLR: stepSize must be a positive integer, got 0/);
});

interface GoldenCase {
  name: string;
  kind: "StepLR" | "ExponentialLR" | "CosineAnnealingLR" | "ReduceLROnPlateau";
  lr: number;
  epochs: number;
  options: Record<string, number | string>;
  lrs: number[];
}
const golden = JSON.parse(readFileSync(new URL("../fixtures/train/lr-schedules.json", import.meta.url), "utf8")) as { plateauMetrics: number[]; cases: GoldenCase[] };

function build(c: GoldenCase, holder: { lr: number }): LrScheduler {
  const num = (k: string): number => {
    const v = c.options[k];
    assert.equal(typeof v, "number", `${c.name}: ${k}`);
    return Number(v);
  };
  switch (c.kind) {
    case "StepLR":
      return new StepLR(holder, { stepSize: num("stepSize"), gamma: num("gamma") });
    case "ExponentialLR":
      return new ExponentialLR(holder, { gamma: num("gamma") });
    case "CosineAnnealingLR":
      return new CosineAnnealingLR(holder, { tMax: num("tMax"), ...(c.options["etaMin"] !== undefined ? { etaMin: num("etaMin") } : {}) });
    case "ReduceLROnPlateau":
      return new ReduceLROnPlateau(holder, {
        patience: num("patience"),
        factor: num("factor"),
        ...(c.options["cooldown"] !== undefined ? { cooldown: num("cooldown"), threshold: num("threshold"), thresholdMode: "abs" as const, minLr: num("minLr") } : {}),
      });
  }
}

for (const c of golden.cases) {
  // Cosine goes through Math.cos, whose last bit may differ from the C library's that Python
  // uses; every other schedule is plain float64 arithmetic in PyTorch's order, so bit-exact.
  const exact = c.kind !== "CosineAnnealingLR";
  test(`PyTorch 1.13 ${c.kind} (${c.name}): the same learning rate every epoch${exact ? ", to the last bit" : ", within 1e-15 of lr0"}`, () => {
    const got = trace((o) => build(c, o), c.lr, c.epochs, golden.plateauMetrics);
    if (exact) assert.deepEqual(got, c.lrs);
    else {
      const worst = Math.max(...got.map((g, i) => Math.abs(g - c.lrs[i]!)));
      assert.ok(worst <= 1e-15 * c.lr, `largest deviation ${worst}`);
    }
  });
}
